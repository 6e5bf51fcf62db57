// Bundles the pages with esbuild into OUT/index.html and OUT/assets/<name>-<hash>.{js,css}.
// Usage: node build.mjs --modules DIR/node_modules --out DIR
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.modules || !args.out) {
  console.error('usage: node build.mjs --modules DIR/node_modules --out DIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const esbuild = createRequire(path.join(args.modules, 'noop.js'))('esbuild');
const assets = path.join(args.out, 'assets');
fs.rmSync(assets, { recursive: true, force: true });
fs.mkdirSync(assets, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src/main.ts') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  outdir: assets,
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  nodePaths: [args.modules],
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
const js = outputs.find((n) => n.startsWith('app-') && n.endsWith('.js'));
const css = outputs.find((n) => n.startsWith('app-') && n.endsWith('.css'));
let html = fs.readFileSync(path.join(here, 'index.html'), 'utf8');
html = html.replace('%SCRIPT%', `/assets/${js}`).replace('%STYLE%', `/assets/${css}`);
fs.writeFileSync(path.join(args.out, 'index.html'), html);
for (const [p, o] of Object.entries(result.metafile.outputs)) console.log(`${path.basename(p)}  ${o.bytes} bytes`);
