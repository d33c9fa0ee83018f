import type { Child } from 'hono/jsx';
import { CHART_COLORS, SPARKLINE_SIZE } from '../charts/sparkline.tsx';

const css = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--accent:#0b57d0;--soft:#f6f8fa;--agree:#1a7f37;--disagree:#cf222e;--discuss:#6e7781}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
header.site{border-bottom:1px solid var(--line);padding:.75rem 1rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header.site a{color:var(--fg);text-decoration:none}header.site a:hover,header.site a:focus{text-decoration:underline}header.site .brand{font-weight:700;font-size:1.15rem}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
main{max-width:74rem;margin:0 auto;padding:1rem}a{color:var(--accent)}
a:focus-visible,button:focus-visible,select:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #fb8c00;outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.25rem;margin:2rem 0 .75rem}h3{font-size:1.05rem;margin:0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.digest-text{white-space:pre-wrap;overflow-wrap:anywhere}tr.error td{color:#cf222e}
.muted{color:var(--muted)}.empty{padding:2rem;text-align:center;color:var(--muted)}.small{font-size:.875rem}
ul.warnings{margin:.25rem 0 0;padding-left:1rem;overflow-wrap:anywhere}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;border:1px solid;white-space:nowrap}
.status-holding{background:#dafbe1;color:#116329;border-color:#4ac26b}.status-contested{background:#fff8c5;color:#6a4300;border-color:#d4a72c}
.status-under-pressure{background:#ffebe9;color:#a40e26;border-color:#ff8182}.status-no-evidence{background:var(--soft);color:var(--muted);border-color:var(--line)}
.status-resolved-true{background:#116329;color:#fff;border-color:#116329}.status-resolved-false{background:#a40e26;color:#fff;border-color:#a40e26}.status-ambiguous{background:#fff;color:#57606a;border-color:#57606a;border-style:dashed}
.stance{font-weight:600;font-size:.8rem;text-transform:uppercase;letter-spacing:.03em}.stance-agree{color:var(--agree)}.stance-disagree{color:var(--disagree)}.stance-discuss{color:var(--discuss)}.stance-unrelated{color:var(--muted)}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:end;background:var(--soft);padding:.75rem;border-radius:.5rem;margin-bottom:1rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
select,input[type=text],input[type=password],input[type=date],textarea{font:inherit;padding:.3rem .4rem;border:1px solid #8c959f;border-radius:.3rem;background:#fff;color:var(--fg);max-width:100%}
button{font:inherit;padding:.3rem .8rem;border:1px solid #1f2328;border-radius:.3rem;background:#1f2328;color:#fff;cursor:pointer}button.secondary{background:#fff;color:#1f2328}
ol.forecasts{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.forecast{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;display:grid;grid-template-columns:1fr auto;gap:.25rem 1rem}
.forecast h3 a{color:var(--fg)}.forecast p{margin:0}.forecast small{font-size:inherit;color:var(--muted)}.forecast .by{color:var(--muted);font-size:.875rem}
.forecast .side{display:flex;flex-direction:column;align-items:flex-end;gap:.1rem}.forecast .side .momentum{font-size:.875rem}.forecast .facts{display:flex;flex-wrap:wrap;gap:.25rem 1rem;font-size:.9rem}
.counts>span{white-space:nowrap}.counts>:nth-child(1){color:var(--agree)}.counts>:nth-child(2){color:var(--disagree)}.counts>:nth-child(3){color:var(--discuss)}
.counts>:nth-child(1)::before{content:"▲ ";content:"▲ "/""}.counts>:nth-child(2)::before{content:"▼ ";content:"▼ "/""}.counts>:nth-child(3)::before{content:"● ";content:"● "/""}
.last{font-size:.9rem;grid-column:1/-1;color:var(--muted)}
details.legend{margin:0 0 1rem;font-size:.9rem}details.legend summary{cursor:pointer;color:var(--accent)}details.legend dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .75rem;margin:.5rem 0;align-items:baseline}details.legend dd{margin:0}details.legend p{margin:0;color:var(--muted)}
.pairs{display:grid;gap:1rem}.pair{display:grid;grid-template-columns:1fr 1fr;gap:.75rem;border:1px solid var(--line);border-radius:.5rem;padding:.75rem}
.pair>div{border-left:4px solid var(--line);padding-left:.75rem}
dl.record{display:grid;grid-template-columns:12rem 1fr;gap:.35rem 1rem;margin:0}dl.record dt{font-weight:600;color:var(--muted)}dl.record dd{margin:0}
blockquote{margin:.25rem 0;padding:.25rem .75rem;border-left:4px solid var(--line)}
svg.sparkline{width:${SPARKLINE_SIZE.width}px;height:${SPARKLINE_SIZE.height}px;background:repeating-linear-gradient(90deg,${CHART_COLORS.axis} 0 2px,transparent 0 4px) 0 50%/100% 1px no-repeat}
.sparkline path{fill:none;stroke:${CHART_COLORS.balance};stroke-width:2;stroke-linejoin:round}.sparkline .up,.sparkline .down{stroke-width:5;stroke-linecap:round}.sparkline .up{stroke:${CHART_COLORS.agree}}.sparkline .down{stroke:${CHART_COLORS.disagree}}
figure.chart{margin:0 0 1rem}figure.chart svg{max-width:100%;height:auto;display:block}figure.chart figcaption{font-size:.85rem;color:var(--muted)}figure.chart svg.timeline-narrow{display:none}
.momentum{white-space:nowrap}.momentum small{font-size:inherit;color:var(--muted)}table.signposts th.num{white-space:nowrap}.momentum-supports{color:var(--agree)}.momentum-undermines{color:var(--disagree)}.banner{border:1px solid #d4a72c;background:#fff8c5;padding:.5rem .75rem;border-radius:.4rem;margin:0 0 1rem}
.key::before{content:"";display:inline-block;width:.8em;height:.8em;margin-right:.25em;vertical-align:-.05em}.key-agree::before{background:var(--agree)}.key-disagree::before{background:var(--disagree)}.key-discuss::before{background:var(--discuss)}.key-balance::before{background:var(--accent);height:.25em;vertical-align:.2em}
ol.evidence{list-style:none;padding:0;margin:0}ol.evidence>li{border-bottom:1px solid var(--line);padding:.75rem 0}ol.evidence>li:target{background:#fff8c5}
mark{padding:0 .1em;border-radius:.15em;color:inherit}mark.stance-agree{background:#dafbe1}mark.stance-disagree{background:#ffebe9}mark.stance-discuss,mark.stance-unrelated{background:#eaeef2}
.notice{background:#ddf4ff;border:1px solid #54aeff;padding:.5rem .75rem;border-radius:.4rem}.error{background:#ffebe9;border:1px solid #ff8182;padding:.5rem .75rem;border-radius:.4rem}
form.inline{display:inline-flex;gap:.35rem;flex-wrap:wrap;margin:.25rem 0}form.inline button{font-size:.85rem;padding:.15rem .55rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem;z-index:1}
@media (max-width:40rem){figure.chart svg.timeline-wide{display:none}figure.chart svg.timeline-narrow{display:block}.forecast{grid-template-columns:1fr}.forecast .side{align-items:flex-start}.pair{grid-template-columns:1fr}dl.record{grid-template-columns:1fr}dl.record dd{margin-bottom:.5rem}
table.stack th,table.stack td{display:block;border:0;padding:.1rem 0}table.stack thead{display:none}table.stack tr{display:block;border-bottom:1px solid var(--line);padding:.5rem 0}}
`;

export function Layout(props: { title: string; children: Child; admin?: boolean; adminEnabled?: boolean; feedUrl?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Signpost`}</title>
        <link rel="stylesheet" href="/assets/style.css" />
        {props.feedUrl ? <link rel="alternate" type="application/atom+xml" title="New evidence (Atom)" href={props.feedUrl} /> : null}
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="site">
          <a class="brand" href="/">
            Signpost
          </a>
          <nav aria-label="Main">
            <ul>
              <li>
                <a href="/">Forecasts</a>
              </li>
              <li>
                <a href="/track-record">Track record</a>
              </li>
              <li>
                <a href="/feeds">Feeds</a>
              </li>
              {props.admin ? (
                <li>
                  <a href="/review">Review queue</a>
                </li>
              ) : null}
              {props.admin ? (
                <li>
                  <a href="/admin">Admin</a>
                </li>
              ) : props.adminEnabled ? (
                <li>
                  <a href="/login">Log in</a>
                </li>
              ) : null}
            </ul>
          </nav>
        </header>
        <main id="content">{props.children}</main>
      </body>
    </html>
  );
}

export const stylesheet = css;
