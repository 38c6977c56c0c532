// Precompiles Python to .pyc *inside Pyodide itself* (under Node, offline), so that the bytecode is made by the
// exact interpreter the browser runs (the build machine's CPython has another version and magic number).
//
//   node widget/static/tools/precompile.mjs <job.json>
//
// job.json: {"pyodide": folder of the npm package,
//            "trace": {"wheels": [wheel paths], "lexicons": compiled lexicons file, "code": Python} | null,
//            "stdlib": {"out": path, "keep_whole": [top-level names]} | null,
//            "wheels": [{"in": path, "out": path, "mode": "sourceless" | "cached", "traced_only": bool}],
//            "modules_out": path}
// First the trace: the wheels are installed and `code` runs (with LEX = the lexicons), and the modules it
// imported are written to modules_out; then precompile.py writes the trimmed .pyc standard library and the
// precompiled wheels (see there). Run and cached by `lentera build` (lentera/build.py).
// Nothing is fetched: every http(s) URL is refused, and the only Pyodide files read are the npm package's.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const job = JSON.parse(await readFile(process.argv[2], "utf8"));
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : (input && input.url) || String(input);
  if (/^(https?|wss?):/i.test(url)) throw new Error(`offline build: refused ${url}`);
  return realFetch(input, init);
};

const indexURL = path.resolve(job.pyodide) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const lock = JSON.parse(await readFile(path.join(indexURL, "pyodide-lock.json"), "utf8"));
lock.packages = {}; // nothing may resolve to a CDN file
const log = [];
const quiet = { messageCallback: (m) => log.push(m), errorCallback: (m) => log.push(`error: ${m}`) };

try {
  const pyodide = await loadPyodide({
    indexURL,
    lockFileContents: lock,
    packageBaseUrl: indexURL,
    // Bytecode without column positions (the finer tracebacks of 3.11+): a third smaller, and what a widget
    // that never shows a traceback needs. Set for the whole run, so the precompiled code is made that way.
    env: { PYTHONNODEBUGRANGES: "1" },
    stdout: (s) => log.push(s),
    stderr: (s) => log.push(s),
  });
  let modules = [];
  if (job.trace) {
    const wheels = job.trace.wheels.map((w) => path.resolve(w));
    const loaded = await pyodide.loadPackage(wheels, quiet);
    if (loaded.length !== wheels.length) throw new Error("trace: the wheels did not load");
    pyodide.globals.set("LEX", await readFile(job.trace.lexicons, "utf8"));
    pyodide.runPython(job.trace.code);
    modules = JSON.parse(pyodide.runPython("import json, sys; json.dumps(sorted(sys.modules))"));
  }
  await writeFile(job.modules_out, JSON.stringify(modules));

  const here = path.dirname(fileURLToPath(import.meta.url));
  pyodide.FS.mkdirTree("/job/in");
  pyodide.FS.mkdirTree("/job/out");
  pyodide.FS.writeFile("/job/python_stdlib.zip", await readFile(path.join(indexURL, "python_stdlib.zip")));
  const wheels = job.wheels || [];
  for (const [i, w] of wheels.entries()) pyodide.FS.writeFile(`/job/in/${i}.whl`, await readFile(w.in));
  pyodide.globals.set("JOB", JSON.stringify({
    modules,
    stdlib: job.stdlib ? { keep_whole: job.stdlib.keep_whole } : null,
    wheels: wheels.map((w, i) => ({ ...w, in: `/job/in/${i}.whl`, out: `/job/out/${i}.whl` })),
  }));
  pyodide.runPython(await readFile(path.join(here, "precompile.py"), "utf8"));
  if (job.stdlib) await writeFile(job.stdlib.out, pyodide.FS.readFile("/job/out/python_stdlib.zip"));
  for (const [i, w] of wheels.entries()) await writeFile(w.out, pyodide.FS.readFile(`/job/out/${i}.whl`));
} catch (err) {
  process.stderr.write(`${err && err.message}\n${log.join("\n")}\n`);
  process.exit(2);
}
