/**
 * The offline evaluator against the analyzer handlers the Pulumi engine actually calls
 * (@pulumi/policy `server.js`: makeAnalyzeRpcFun / makeAnalyzeStackRpcFun), fed the same resources
 * as protobuf requests. Policies with a configSchema are left out: the handlers get their config
 * from the engine's `configure` call, which is not exported (the evaluator's config handling is
 * tested against the documented rules in evaluate.test.ts).
 */
import { expect } from "chai";

import { Policies } from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

import { CheckViolation, evaluatePack } from "../../../lib/check/evaluate";
import { SynthResource, SynthResult } from "../../../lib/synth/types";
import { ORGWATCH_POLICIES } from "../../../policies/pack";

/* eslint-disable @typescript-eslint/no-require-imports */
interface Diagnostic {
    getPolicyname(): string;
    getMessage(): string;
    getUrn(): string;
    getEnforcementlevel(): number;
}
interface AnalyzeResponse {
    getDiagnosticsList(): Diagnostic[];
}
type Handler = (call: { request: unknown }, callback: (err: unknown, resp?: AnalyzeResponse) => void) => Promise<void>;
const server = require("@pulumi/policy/server") as {
    makeAnalyzeRpcFun(name: string, version: string, level: string, policies: Policies): Handler;
    makeAnalyzeStackRpcFun(name: string, version: string, level: string, policies: Policies): Handler;
};
const proto = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, new () => Record<string, (...a: unknown[]) => unknown>> & {
    EnforcementLevel: Record<string, number>;
};
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(o: object): unknown } };
/* eslint-enable @typescript-eslint/no-require-imports */

const VERSION = "0.1.0";
const POLICIES = ORGWATCH_POLICIES.filter((p) => p.configSchema === undefined);

function res(type: string, name: string, props: Record<string, unknown>): SynthResource {
    return {
        urn: `urn:pulumi:dev::app::${type}::${name}`,
        type,
        name,
        parent: null,
        custom: true,
        provider: null,
        account: null,
        region: null,
        inputs: props,
        id: `${name}-id`,
        outputs: { ...props, id: `${name}-id` },
        dependsOn: [],
        protect: false,
    };
}

function call(handler: Handler, request: unknown): Promise<AnalyzeResponse> {
    return new Promise((resolve, reject) => {
        void handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp as AnalyzeResponse)));
    });
}

const LEVEL_NAMES = Object.fromEntries(Object.entries(proto.EnforcementLevel).map(([k, v]) => [v, k.toLowerCase()]));

/** What the engine reports, with the description prefix the SDK adds to every message removed. */
async function engineViolations(synth: SynthResult): Promise<CheckViolation[]> {
    const out: CheckViolation[] = [];
    const byUrn = new Map(synth.resources.map((r) => [r.urn, r]));
    const strip = (d: Diagnostic): string => {
        const description = POLICIES.find((p) => p.name === d.getPolicyname())?.description ?? "";
        return d.getMessage().startsWith(`${description}\n`) ? d.getMessage().slice(description.length + 1) : d.getMessage();
    };
    const push = (d: Diagnostic, fallback: SynthResource | null) => {
        const urn = d.getUrn() || fallback?.urn || null;
        out.push({ policy: d.getPolicyname(), enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] as "mandatory", urn, type: urn ? (byUrn.get(urn)?.type ?? null) : null, message: strip(d) });
    };
    const analyze = server.makeAnalyzeRpcFun("orgwatch-monitoring", VERSION, "advisory", POLICIES);
    for (const r of synth.resources) {
        const req = new proto.AnalyzeRequest();
        req.setType(r.type);
        req.setProperties(Struct.fromJavaScript(r.inputs));
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setOptions(new proto.AnalyzerResourceOptions());
        (await call(analyze, req)).getDiagnosticsList().forEach((d) => push(d, r));
    }
    const stackReq = new proto.AnalyzeStackRequest();
    stackReq.setResourcesList(
        synth.resources.map((r) => {
            const a = new proto.AnalyzerResource();
            a.setType(r.type);
            a.setProperties(Struct.fromJavaScript(r.outputs));
            a.setUrn(r.urn);
            a.setName(r.name);
            a.setOptions(new proto.AnalyzerResourceOptions());
            return a;
        }),
    );
    const analyzeStack = server.makeAnalyzeStackRpcFun("orgwatch-monitoring", VERSION, "advisory", POLICIES);
    (await call(analyzeStack, stackReq)).getDiagnosticsList().forEach((d) => push(d, null));
    return out;
}

function sample(): SynthResult {
    return {
        project: "app",
        stack: "dev",
        outputs: {},
        resources: [
            res("aws:cloudtrail/trail:Trail", "trail", { name: "t", s3BucketName: "b", isMultiRegionTrail: false, enableLogFileValidation: rpc.unknownValue }),
            res("aws:cloudwatch/logGroup:LogGroup", "g", { name: "/aws/lambda/other", retentionInDays: 30 }),
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: "q" }, actionsEnabled: false }),
            res("aws:sns/topic:Topic", "topic", { name: "alerts" }),
            res("aws:lambda/function:Function", "fn", { name: "fn-1" }),
            res("aws:sqs/queue:Queue", "q", { name: "q" }),
            res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }),
            res("aws:ecs/cluster:Cluster", "cluster", {}),
            res("aws:s3/bucket:Bucket", "assets", { bucket: "assets" }),
        ],
    };
}

describe("lib/check parity with the @pulumi/policy analyzer server", () => {
    it("reports the same violations, levels, URNs and messages for the same resources", async () => {
        const synth = sample();
        const engine = await engineViolations(synth);
        const offline = evaluatePack(synth, { policies: POLICIES, policyPackVersion: VERSION }).violations;
        const key = (v: CheckViolation) => JSON.stringify([v.policy, v.enforcementLevel, v.urn, v.type, v.message]);
        expect(offline.map(key).sort()).to.deep.equal(engine.map(key).sort());
        // The sample exercises each kind of result.
        expect(engine.some((v) => v.enforcementLevel === "advisory" && v.message.startsWith("can't run policy"))).to.equal(true);
        expect(engine.some((v) => v.urn === null)).to.equal(false);
        const stackPolicyUrns = engine.filter((v) => v.policy === "lambda-log-group-retention-set" || v.policy === "vpc-flow-logs-enabled").map((v) => v.urn?.split("::").pop());
        expect(stackPolicyUrns.sort()).to.deep.equal(["fn", "vpc"]);
        expect(engine.length).to.be.greaterThan(8);
    });

    it("agrees on a compliant resource set (no violations)", async () => {
        const synth: SynthResult = {
            project: "app",
            stack: "dev",
            outputs: {},
            resources: [
                res("aws:sns/topic:Topic", "topic", { name: "alerts", kmsMasterKeyId: "alias/alerts" }),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: "q" }, alarmActions: ["arn:aws:sns:us-east-1:1:alerts"] }),
                res("aws:sqs/queue:Queue", "q", { name: "q" }),
            ],
        };
        expect(await engineViolations(synth)).to.deep.equal([]);
        expect(evaluatePack(synth, { policies: POLICIES, policyPackVersion: VERSION }).violations).to.deep.equal([]);
    });
});
