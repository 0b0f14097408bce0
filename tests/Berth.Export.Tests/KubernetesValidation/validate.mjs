// Validates Kubernetes manifests against the schemas of the Kubernetes API (the validators kubernetes-models
// generates from its OpenAPI definitions: types, required fields, formats, enums).
// Usage: node validate.mjs FILE.yaml...   Exit code 0 when every object of every file is valid; 1 with the problems.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseAllDocuments } from "yaml";

let problems = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  if (basename(file) === "kustomization.yaml") continue;
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      console.error(`${file}: not valid YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      problems++;
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    const where = `${file}: ${object.kind} ${object.metadata?.name}`;
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
    let model;
    try {
      const module = await import(group === "" ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`);
      model = module[object.kind];
    } catch (e) {
      console.error(`${where}: no schema for ${object.apiVersion}: ${e.message}`);
      problems++;
      continue;
    }
    if (model === undefined) {
      console.error(`${where}: no schema for kind ${object.kind} in ${object.apiVersion}`);
      problems++;
      continue;
    }
    try {
      new model(object).validate();
      checked++;
    } catch (e) {
      console.error(`${where}: ${e.message}`);
      problems++;
    }
  }
}
console.log(`${checked} objects valid, ${problems} problems`);
process.exit(problems === 0 && checked > 0 ? 0 : 1);
