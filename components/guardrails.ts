import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../lib/errors";
import { names, slug } from "../lib/naming";
import { GUARDRAIL_TAG, guardrailScp, guardrailScpSize, policyJson, type GuardrailScpArgs } from "../lib/policy-documents";

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
    public readonly policyId: pulumi.Output<string>;
    public readonly policyArn: pulumi.Output<string>;
    /** Size of the document as AWS Organizations counts it. */
    public readonly policySize: pulumi.Output<number>;

    constructor(name: string, args: GuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before the component registers, so a config mistake leaves nothing behind.
        const targets = Object.keys(args.targetIds);
        if (targets.length === 0) {
            throw new UserError("The monitoring guardrails have nowhere to attach", [
                { path: "orgwatch:guardrails.targets", allowed: "\"Root\" or at least one OU path", received: "no target" },
            ]);
        }
        const content = guardrailsPolicyContent(args);
        super(GUARDRAILS_TYPE, name, {}, opts);
        const protect = args.protect ?? true;

        const policy = new aws.organizations.Policy(
            `${name}-policy`,
            {
                name: names.guardrailPolicy(args.namePrefix),
                description: "orgwatch: nobody but the deploy roles switches organization monitoring off",
                type: "SERVICE_CONTROL_POLICY",
                content,
                // The policy protects itself by this tag (DenyGuardrailChanges), since it cannot name its own id.
                tags: { [GUARDRAIL_TAG.key]: GUARDRAIL_TAG.value },
            },
            { parent: this, protect },
        );
        for (const target of targets) {
            new aws.organizations.PolicyAttachment(
                `${name}-attachment-${slug(target)}`,
                { policyId: policy.id, targetId: args.targetIds[target] },
                { parent: this, protect },
            );
        }
        this.policyId = policy.id;
        this.policyArn = policy.arn;
        this.policySize = pulumi.output(content).apply((json) => guardrailScpSize(JSON.parse(json)));
        this.registerOutputs({ policyId: this.policyId, policyArn: this.policyArn, policySize: this.policySize });
    }
}

/**
 * The SCP text for the component's arguments. Built at once (and so size-checked before anything is registered)
 * when every name is a plain string; otherwise when the trail log group's name resolves.
 */
export function guardrailsPolicyContent(args: GuardrailsArgs): pulumi.Input<string> {
    const build = (trailLogGroupName: string): string =>
        policyJson(
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
            }),
        );
    return typeof args.trailLogGroupName === "string" ? build(args.trailLogGroupName) : pulumi.output(args.trailLogGroupName).apply(build);
}
