// Test helper: one real forecast from data/predictions.yaml, as a predictions.yaml of its own, for
// tests that spawn the worker with a data directory. Used only by *.test.ts.
export const ONE_FORECAST_YAML = `predictions:
  - id: china-no-sanctions-on-russia
    statement: China will not impose its own sanctions on Russia over the war against Ukraine.
    quote: So, no, China will not impose sanctions on Moscow for its war against Ukraine.
    author: Andrew Latham
    outlet: The Hill
    published: 2022-03-24
    source: 000_cc776010734f0119.txt
    kind: binary
    horizon: for as long as the war in Ukraine lasts
    hedge: will not
    likelihood: almost certain
    signposts:
      - { text: China announces sanctions on Russian officials or companies over Ukraine, direction: fails }
    keywords: [China, Russia, sanctions]
    tags: [sanctions]
    resolution:
      status: open
`;
