import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../lib/errors";
import { names, slug } from "../lib/naming";
import { GUARDRAIL_TAG, guardrailScp, guardrailScpSize, policyJson, splitGuardrail, type GuardrailScpArgs, type PolicyDocument } from "../lib/policy-documents";

/** Type token of the component; keep it stable (renaming it replaces the policy and its attachments). */
export const GUARDRAILS_TYPE = "orgwatch:guardrails:Guardrails";

export interface GuardrailsArgs extends Omit<GuardrailScpArgs, "trailLogGroupName" | "deployRoleArns" | "dashboardNames" | "organizationRuleNamePrefix"> {
    /**
     * orgwatch's name prefix; the policy is named `<namePrefix>-monitoring-guardrails`, and the dashboard
     * (`<namePrefix>-security`) and the organization rules (`<namePrefix>-...`) it protects follow from it.
     */
    readonly namePrefix: string;
    /**
     * The trail log group. An `Output` (an adopted log group found by prefix) delays building the document,
     * and so the size check, until the name is known.
     */
    readonly trailLogGroupName: pulumi.Input<string>;
    /**
     * The roles `pulumi up` acts through: the deploy roles from config (`orgwatch:access.deployRoleArns`) and the
     * member role in each member account orgwatch writes into (log archive, monitoring, StackSets delegated
     * administrator). Exempt from what orgwatch deploys there, and protected from every member principal.
     */
    readonly deployRoleArns: readonly string[];
    /**
     * Where the policy is attached: target path (`Root`, `Root/Workloads`) → root or OU id. Keys name the
     * attachments, so adding or removing one target touches only its attachment. A root, OU or account takes
     * at most 5 SCPs (`FullAWSAccess` included); existing attachments cannot be seen offline, so a target
     * that is already full fails at `pulumi up` with AWS's ConstraintViolationException.
     */
    readonly targetIds: Readonly<Record<string, pulumi.Input<string>>>;
    /** Protect the policy and its attachments from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * The monitoring guardrail service control policy (see `guardrailScp`) and its attachments, in the management
 * account. SCPs restrict member accounts only: the management account, service-linked roles and AWS service
 * principals are never restricted. The organization must have the SERVICE_CONTROL_POLICY policy type enabled
 * on its root (orgwatch does not manage the organization itself).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
export class Guardrails extends pulumi.ComponentResource {
    /** The first (or only) policy: today's name and URN, so a guardrail that fits in one SCP is unchanged. */
    public readonly policyId: pulumi.Output<string>;
    public readonly policyArn: pulumi.Output<string>;
    /** Size of the first document as AWS Organizations counts it. */
    public readonly policySize: pulumi.Output<number>;
    /** Every guardrail policy (one when the statements fit in one SCP, else up to four), in order. */
    public readonly policyIds: pulumi.Output<string>[];
    /** Size of each document, in the order of {@link policyIds}. */
    public readonly policySizes: pulumi.Output<number>[];

    constructor(name: string, args: GuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before the component registers, so a config mistake leaves nothing behind.
        const targets = Object.keys(args.targetIds);
        if (targets.length === 0) {
            throw new UserError("The monitoring guardrails have nowhere to attach", [
                { path: "orgwatch:guardrails.targets", allowed: "\"Root\" or at least one OU path", received: "no target" },
            ]);
        }
        const contents = guardrailsPolicyContents(args);
        super(GUARDRAILS_TYPE, name, {}, opts);
        const protect = args.protect ?? true;

        // The parts after the first are registered first, and the first part depends on them and their
        // attachments: when the guardrail grows from one part to several, the first part shrinks (its statements
        // move to the new parts) only once the new parts apply to every target, so no statement applies nowhere in
        // between. (Shrinking back to fewer parts deletes parts, which `protect` refuses: docs/SECURITY.md.)
        const ids: pulumi.Output<string>[] = new Array<pulumi.Output<string>>(contents.length);
        const arns: pulumi.Output<string>[] = new Array<pulumi.Output<string>>(contents.length);
        const later: pulumi.Resource[] = [];
        const order = [...contents.keys()].slice(1).concat(0);
        for (const i of order) {
            const content = contents[i];
            // The first policy keeps the name and URN of the single policy; the others are numbered from 2.
            const suffix = i === 0 ? "" : `-${i + 1}`;
            const policy = new aws.organizations.Policy(
                `${name}-policy${suffix}`,
                {
                    name: `${names.guardrailPolicy(args.namePrefix)}${suffix}`,
                    description: contents.length === 1
                        ? "orgwatch: nobody but the deploy roles switches organization monitoring off"
                        : `orgwatch: nobody but the deploy roles switches organization monitoring off (part ${i + 1} of ${contents.length})`,
                    type: "SERVICE_CONTROL_POLICY",
                    content,
                    // The policies protect themselves by this tag (DenyGuardrailChanges), since they cannot name their ids.
                    tags: { [GUARDRAIL_TAG.key]: GUARDRAIL_TAG.value },
                },
                { parent: this, protect, ...(i === 0 && later.length > 0 ? { dependsOn: later } : {}) },
            );
            if (i !== 0) later.push(policy);
            // Every part is attached to every target: the statements apply only together.
            for (const target of targets) {
                const attachment = new aws.organizations.PolicyAttachment(
                    i === 0 ? `${name}-attachment-${slug(target)}` : `${name}-policy${suffix}-attachment-${slug(target)}`,
                    { policyId: policy.id, targetId: args.targetIds[target] },
                    { parent: this, protect },
                );
                if (i !== 0) later.push(attachment);
            }
            ids[i] = policy.id;
            arns[i] = policy.arn;
        }
        this.policyIds = ids;
        this.policySizes = contents.map((content) => pulumi.output(content).apply((json) => guardrailScpSize(JSON.parse(json) as PolicyDocument)));
        this.policyId = this.policyIds[0];
        this.policyArn = arns[0];
        this.policySize = this.policySizes[0];
        this.registerOutputs({ policyId: this.policyId, policyArn: this.policyArn, policySize: this.policySize, policyIds: this.policyIds, policySizes: this.policySizes });
    }
}

/**
 * Longest CloudWatch Logs group name (CreateLogGroup: 1-512 characters). While the trail log group's name is an
 * `Output`, the policies are laid out for a name of this length, so the number of policies is known before the
 * name is, and the real name never makes a part larger.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 */
const LOG_GROUP_NAME_MAX = 512;

/**
 * The SCP texts for the component's arguments (see `guardrailScps`). Built at once (and so size-checked before
 * anything is registered) when every name is a plain string. When the trail log group's name is an `Output`,
 * the split is decided (and checked) for the longest name a log group can have, and each part's text is built
 * with the real name when it resolves, its statements assigned to the parts as decided.
 */
export function guardrailsPolicyContents(args: GuardrailsArgs): pulumi.Input<string>[] {
    const documentFor = (trailLogGroupName: string): PolicyDocument =>
        guardrailScp({
            partition: args.partition,
            organizationId: args.organizationId,
            managementAccountId: args.managementAccountId,
            monitoringAccountId: args.monitoringAccountId,
            logArchiveAccountId: args.logArchiveAccountId,
            homeRegion: args.homeRegion,
            governedRegions: args.governedRegions,
            trailName: args.trailName,
            trailLogGroupName,
            centralLogGroupNamePrefixes: args.centralLogGroupNamePrefixes,
            alarms: args.alarms,
            topicName: args.topicName,
            dashboardNames: [names.dashboard(args.namePrefix)],
            trailBucketNames: args.trailBucketNames,
            kmsKeyAliases: args.kmsKeyAliases,
            organizationRuleNamePrefix: `${args.namePrefix}-`,
            baselineStackSetName: args.baselineStackSetName,
            deployRoleArns: args.deployRoleArns,
        });
    if (typeof args.trailLogGroupName === "string") return splitGuardrail(documentFor(args.trailLogGroupName)).map((d) => policyJson(d));
    const layout = splitGuardrail(documentFor("x".repeat(LOG_GROUP_NAME_MAX))).map((d) => d.Statement.map((st) => st.Sid));
    const real = pulumi.output(args.trailLogGroupName).apply(documentFor);
    return layout.map((sids) =>
        real.apply((doc) => policyJson({ Version: doc.Version, Statement: doc.Statement.filter((st) => sids.includes(st.Sid)) })),
    );
}
