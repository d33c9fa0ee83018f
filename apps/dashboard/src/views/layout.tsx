import type { Child } from 'hono/jsx';

const css = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--accent:#0b57d0}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:var(--fg);background:var(--bg)}
header{border-bottom:1px solid var(--line);padding:.75rem 1rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header a{color:var(--fg);text-decoration:none}header .brand{font-weight:700;font-size:1.15rem}
main{max-width:72rem;margin:0 auto;padding:1rem}a{color:var(--accent)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.muted{color:var(--muted)}.empty{padding:2rem;text-align:center;color:var(--muted)}
@media (max-width:40rem){th,td{display:block;border:0}tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}}
`;

export function Layout(props: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Signpost`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
      </head>
      <body>
        <header>
          <a class="brand" href="/">Signpost</a>
          <nav aria-label="Main">
            <a href="/">Forecasts</a> · <a href="/feeds">Feeds</a>
          </nav>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export const stylesheet = css;
