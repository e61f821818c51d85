// `make assets`: bundle web/vendor-src/codemirror-sparql.js with the exact versions of
// package-lock.json into web/static/vendor/codemirror-sparql-<version>.js (minified, one file),
// write the licences of every package in it beside it, and record the file in
// web/static/vendor/manifest.json (the app reads the file name from there).
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, unlinkSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = join(root, "web", "static", "vendor");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const name = `codemirror-sparql-${pkg.version}`;

for (const f of readdirSync(out)) {             // the previous version's files
  if (f.startsWith("codemirror-sparql-")) unlinkSync(join(out, f));
}

const result = await build({
  entryPoints: [join(root, "web", "vendor-src", "codemirror-sparql.js")],
  bundle: true, minify: true, format: "iife", target: ["es2020"], legalComments: "none",
  metafile: true, write: false, logLevel: "warning",
});

// the packages whose code is in the bundle, with their versions from the lock file
const used = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) used.add(m[1]);
}
const packages = [...used].sort().map((p) => ({ name: p, version: lock.packages[`node_modules/${p}`].version,
  license: lock.packages[`node_modules/${p}`].license }));

const header = `/*! kg's SPARQL editor libraries ${pkg.version}, built by \`make assets\` from package-lock.json.\n` +
  packages.map((p) => ` * ${p.name} ${p.version} (${p.license})`).join("\n") +
  `\n * Licences: ${name}.LICENSES.txt */\n`;
writeFileSync(join(out, `${name}.js`), header + result.outputFiles[0].text);

let licences = `Licences of the packages bundled in ${name}.js\n`;
for (const p of packages) {
  const dir = join(root, "node_modules", p.name);
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  licences += `\n${"=".repeat(72)}\n${p.name} ${p.version} (${p.license})\n${"=".repeat(72)}\n\n` +
    (file ? readFileSync(join(dir, file), "utf8").trim() : `${p.license} licence (no licence file in the package)`) + "\n";
}
writeFileSync(join(out, `${name}.LICENSES.txt`), licences);

const manifestPath = join(out, "manifest.json");
const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : {};
manifest.editor = { file: `${name}.js`, licences: `${name}.LICENSES.txt`,
                    packages: Object.fromEntries(packages.map((p) => [p.name, p.version])) };
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
console.log(`web/static/vendor/${name}.js: ${packages.length} packages, ${(header.length + result.outputFiles[0].text.length) / 1024 | 0} KiB`);
