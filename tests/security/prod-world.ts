/**
 * The `prod` stack as the security tests see it: the facts come from the stack config (Pulumi.prod.yaml) and the
 * physical names pinned as literals in fixtures/prod-names.json (not from lib/naming.ts), the documents under test
 * come from one `synth --json` run of the real program.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { SynthResource, SynthResult } from "../../lib/synth/types";
import { PACKAGE_ROOT, runSynthCli } from "../helpers/synth";

interface ProdConfig {
    readonly organization: { readonly id: string; readonly managementAccountId: string; readonly logArchiveAccountId: string; readonly monitoringAccountId: string };
    readonly regions: { readonly home: string; readonly governed: readonly string[] };
    readonly access: { readonly memberRoleName: string; readonly deployRoleArns: readonly string[] };
    readonly namePrefix: string;
    readonly trail: { readonly name: string };
    readonly accounts: readonly { readonly name: string; readonly id?: string }[];
}

function readProdConfig(): ProdConfig {
    const file = YAML.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    const c = file.config;
    return {
        organization: c["orgwatch:organization"] as ProdConfig["organization"],
        regions: c["orgwatch:regions"] as ProdConfig["regions"],
        access: c["orgwatch:access"] as ProdConfig["access"],
        namePrefix: c["orgwatch:namePrefix"] as string,
        trail: c["orgwatch:trail"] as ProdConfig["trail"],
        accounts: c["orgwatch:accounts"] as ProdConfig["accounts"],
    };
}

export const PROD = readProdConfig();
const org = PROD.organization;
const home = PROD.regions.home;

/** Accounts and principals of the scenarios. */
export const ACCOUNTS = {
    management: org.managementAccountId,
    logArchive: org.logArchiveAccountId,
    monitoring: org.monitoringAccountId,
    /** A workload account of prod (`payments-prod`). */
    member: PROD.accounts.find((a) => a.name === "payments-prod")?.id ?? "",
    /** Another member account, standing in for a CloudTrail delegated administrator (`security-tooling`). */
    securityTooling: PROD.accounts.find((a) => a.name === "security-tooling")?.id ?? "",
    /** Not in the organization. */
    outsider: "999988887777",
} as const;

export const ORG_ID = org.id;
export const DEPLOY_ROLE = PROD.access.deployRoleArns[0] ?? "";
export const role = (account: string, name: string): string => `arn:aws:iam::${account}:role/${name}`;
/** The role orgwatch assumes in member accounts. */
export const memberRole = (account: string): string => role(account, PROD.access.memberRoleName);

/** prod's physical names as literals (fixtures/prod-names.json, written by hand from Pulumi.prod.yaml). */
export interface ProdNames {
    readonly trailName: string;
    readonly trailArn: string;
    readonly trailBucket: string;
    readonly accessLogBucket: string;
    readonly trailLogGroup: string;
    readonly trailLogsRole: string;
    readonly topicName: string;
    readonly topicArn: string;
    readonly trailKeyAlias: string;
    readonly logsKeyAlias: string;
    readonly alarmsKeyAlias: string;
    readonly centralLogsKeyAlias: string;
    readonly dashboard: string;
    readonly guardrailPolicy: string;
    readonly baselineStackSet: string;
    readonly alarmNamePrefix: string;
    readonly centralLogGroupPrefix: string;
}

export const PROD_NAMES = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "prod-names.json"), "utf8")) as ProdNames;

/** Physical names of prod (the pinned literals) and ARNs built from them. */
export const NAMES = {
    ...PROD_NAMES,
    alarm: (controlId: string): string => `arn:aws:cloudwatch:${home}:${org.managementAccountId}:alarm:${PROD_NAMES.alarmNamePrefix}${controlId}`,
    centralLogGroup: (account: string, region: string, source: string): string =>
        `arn:aws:logs:${home}:${org.monitoringAccountId}:log-group:${PROD_NAMES.centralLogGroupPrefix}${account}/${region}/${source}`,
} as const;

/** The synthesized documents and ARNs the scenarios evaluate. */
export interface ProdSynth {
    readonly result: SynthResult;
    readonly trailBucketPolicy: string;
    readonly accessLogBucketPolicy: string;
    readonly trailKeyPolicy: string;
    readonly trailKeyArn: string;
    readonly logsKeyPolicy: string;
    readonly logsKeyArn: string;
    readonly centralKeyPolicy: string;
    readonly centralKeyArn: string;
    readonly topicPolicy: string;
    readonly topicKeyPolicy: string;
    readonly topicKeyArn: string;
    /** OAM sink policy and sink ARN per governed Region. */
    readonly sinks: Readonly<Record<string, { readonly policy: string; readonly arn: string }>>;
    /** The CloudTrail → CloudWatch Logs role: ARN and trust policy. */
    readonly trailLogsRole: { readonly arn: string; readonly trustPolicy: string };
    /** The role the log-archive account's provider assumes: the principal `pulumi up` acts as there. */
    readonly logArchiveDeployPrincipal: string;
    /** Content of the guardrail SCP (the first, when the guardrail is split). */
    readonly scp: string;
    /** Content of every guardrail SCP, in the order of their names (`<name>`, `<name>-2`, ...). */
    readonly scps: readonly string[];
}

function one(result: SynthResult, what: string, pick: (r: SynthResource) => boolean): SynthResource {
    const found = result.resources.filter(pick);
    if (found.length !== 1) throw new Error(`prod synth: expected one ${what}, found ${found.length}`);
    return found[0];
}

function text(value: unknown, what: string): string {
    if (typeof value !== "string") throw new Error(`prod synth: ${what} is not a string`);
    return value;
}

/** The key that an alias of that name points at. */
function keyByAlias(result: SynthResult, alias: string): SynthResource {
    const aliasRes = one(result, `alias ${alias}`, (r) => r.type === "aws:kms/alias:Alias" && r.inputs.name === alias);
    return one(result, `key of ${alias}`, (r) => r.type === "aws:kms/key:Key" && r.outputs.keyId === aliasRes.inputs.targetKeyId);
}

/**
 * Picks the documents out of a `synth --json` result of the prod stack: the current program's, or the frozen
 * copy of the documents as they were before the security hardening (fixtures/prod-before.json).
 */
export function prodDocuments(result: SynthResult): ProdSynth {
    const policyOf = (r: SynthResource, what: string): string => text(r.inputs.policy, what);
    const trailKey = keyByAlias(result, NAMES.trailKeyAlias);
    const logsKey = keyByAlias(result, NAMES.logsKeyAlias);
    const topicKey = keyByAlias(result, NAMES.alarmsKeyAlias);
    const centralKey = keyByAlias(result, NAMES.centralLogsKeyAlias);
    if (centralKey.account !== ACCOUNTS.monitoring) throw new Error(`the central logs key is in ${String(centralKey.account)}, not the monitoring account`);
    const sinks: Record<string, { policy: string; arn: string }> = {};
    for (const sink of result.resources.filter((r) => r.type === "aws:oam/sink:Sink")) {
        const arn = text(sink.outputs.arn, "sink ARN");
        const policy = one(result, `sink policy of ${arn}`, (r) => r.type === "aws:oam/sinkPolicy:SinkPolicy" && r.inputs.sinkIdentifier === arn);
        sinks[text(sink.region, "sink Region")] = { policy: policyOf(policy, "sink policy"), arn };
    }
    const logArchiveProvider = one(result, "provider of the log archive account", (r) => r.type === "pulumi:providers:aws" && r.account === ACCOUNTS.logArchive);
    const assumed = JSON.parse(text(logArchiveProvider.inputs.assumeRoles, "assumeRoles of the log archive provider")) as { roleArn: string }[];
    const logsRole = one(result, "CloudTrail logs role", (r) => r.type === "aws:iam/role:Role" && r.inputs.name === NAMES.trailLogsRole);
    const scpResources = result.resources
        .filter((r) => r.type === "aws:organizations/policy:Policy" && r.inputs.type === "SERVICE_CONTROL_POLICY")
        .sort((a, b) => text(a.inputs.name, "SCP name").length - text(b.inputs.name, "SCP name").length || text(a.inputs.name, "SCP name").localeCompare(text(b.inputs.name, "SCP name")));
    if (scpResources.length === 0) throw new Error("prod synth: no guardrail SCP");
    const bucketPolicy = (bucket: string): string =>
        policyOf(one(result, `bucket policy of ${bucket}`, (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.inputs.bucket === bucket), `bucket policy of ${bucket}`);
    return {
        result,
        trailBucketPolicy: bucketPolicy(NAMES.trailBucket),
        accessLogBucketPolicy: bucketPolicy(NAMES.accessLogBucket),
        trailKeyPolicy: policyOf(trailKey, "trail key policy"),
        trailKeyArn: text(trailKey.outputs.arn, "trail key ARN"),
        logsKeyPolicy: policyOf(logsKey, "logs key policy"),
        logsKeyArn: text(logsKey.outputs.arn, "logs key ARN"),
        centralKeyPolicy: policyOf(centralKey, "central logs key policy"),
        centralKeyArn: text(centralKey.outputs.arn, "central logs key ARN"),
        topicPolicy: policyOf(one(result, "topic policy", (r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && r.inputs.arn === NAMES.topicArn), "topic policy"),
        topicKeyPolicy: policyOf(topicKey, "topic key policy"),
        topicKeyArn: text(topicKey.outputs.arn, "topic key ARN"),
        sinks,
        trailLogsRole: { arn: text(logsRole.outputs.arn, "CloudTrail logs role ARN"), trustPolicy: text(logsRole.inputs.assumeRolePolicy, "CloudTrail logs role trust policy") },
        logArchiveDeployPrincipal: assumed[0]?.roleArn ?? "",
        scp: text(scpResources[0].inputs.content, "SCP content"),
        scps: scpResources.map((r) => text(r.inputs.content, "SCP content")),
    };
}

let current: ProdSynth | undefined;

/** Runs `synth --stack prod --json` once per test process and picks the documents out of it. */
export function synthProd(): ProdSynth {
    if (current === undefined) {
        const run = runSynthCli(["--stack", "prod", "--json"]);
        if (run.code !== 0) throw new Error(`synth --stack prod failed (${String(run.code)}): ${run.stderr}`);
        current = prodDocuments(JSON.parse(run.stdout) as SynthResult);
    }
    return current;
}

/**
 * The prod documents as they were before the security hardening: the resource policies of one
 * `synth --stack prod --json` run at the commit named in the file, kept as data (never regenerated).
 */
export function prodBefore(): ProdSynth {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "prod-before.json"), "utf8")) as SynthResult & { source: string };
    return prodDocuments({ ...file, resources: file.resources });
}
