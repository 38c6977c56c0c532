// Runs a piece of Python inside real Pyodide under Node, fully offline, and writes what it computed.
//
//   node run_python.mjs <job.json>
//
// job.json: {"pyodide": folder of the npm package, "wheels": [.whl paths, all in one folder],
//            "files": {path inside Pyodide: path on disk}, "globals": {name: string},
//            "code": Python source that sets the global OUT to a string, "out": where to write the result}
// Writes {"out": OUT, "remote": [http(s) URLs something tried to fetch], "loaded": {package: file},
//         "python": sys.version}.
// Every http(s) fetch is refused and recorded, so a CDN fallback fails the caller instead of quietly
// downloading; the lock file given to Pyodide lists no packages, so nothing resolves to a CDN file.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

// An uncaught error would print a line of minified Pyodide source: report the message and stack only.
process.on("uncaughtException", (err) => {
  console.error(String((err && err.stack) || err).slice(0, 8000));
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  console.error(String((err && err.stack) || err).slice(0, 8000));
  process.exit(1);
});

const job = JSON.parse(await readFile(process.argv[2], "utf8"));
const remote = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : (input && input.url) || String(input);
  if (/^(https?|wss?):/i.test(url)) {
    remote.push(url);
    throw new Error(`offline run: refused ${url}`);
  }
  return realFetch(input, init);
};

const indexURL = path.resolve(job.pyodide) + path.sep;
const wheelDir = path.dirname(path.resolve(job.wheels[0])) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
lock.packages = {};
const log = [];
const pyodide = await loadPyodide({
  indexURL,
  lockFileContents: lock,
  packageBaseUrl: wheelDir,
  packageCacheDir: wheelDir,
  stdout: (s) => log.push(s),
  stderr: (s) => log.push(s),
});
const loaded = await pyodide.loadPackage(job.wheels.map((w) => path.resolve(w)), {
  messageCallback: (m) => log.push(m),
  errorCallback: (m) => log.push(`error: ${m}`),
});
if (loaded.length !== job.wheels.length) {
  console.error(`only ${loaded.length} of ${job.wheels.length} wheels loaded\n${log.join("\n")}`);
  process.exit(2);
}
for (const [inside, onDisk] of Object.entries(job.files || {})) {
  pyodide.FS.mkdirTree(path.posix.dirname(inside));
  pyodide.FS.writeFile(inside, await readFile(onDisk));
}
for (const [name, value] of Object.entries(job.globals || {})) pyodide.globals.set(name, value);
pyodide.runPython(job.code);
const out = pyodide.globals.get("OUT");
const python = pyodide.runPython("import sys; sys.version");
await writeFile(
  job.out,
  JSON.stringify({ out, remote, python, loaded: Object.fromEntries(loaded.map((p) => [p.name, p.fileName])) }),
);
