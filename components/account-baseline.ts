import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LINK_LABEL_TEMPLATE } from "../lib/baseline/template";
import { BASELINE_LINK_TAG } from "../lib/policy-documents";

export interface AccountBaselineArgs {
    /** OAM sink ARN per governed Region (from the monitoring account). */
    readonly sinkArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** What the account shares with the monitoring account. */
    readonly resourceTypes: readonly string[];
}

/**
 * The baseline of an account orgwatch deploys into directly (the management account, which
 * service-managed StackSets never reach, and the log-archive account): an OAM link per governed Region
 * to the monitoring account's sink, sharing the same telemetry types as the member baseline StackSet's
 * links. Log groups reach the monitoring account through the organization centralization rule, which
 * needs nothing in the source account.
 */
export class AccountBaseline extends pulumi.ComponentResource {
    public readonly linkArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:baseline:AccountBaseline", name, {}, opts);
        this.linkArns = {};
        for (const [region, sinkArn] of Object.entries(args.sinkArns)) {
            const link = new aws.oam.Link(
                `${name}-link-${region}`,
                {
                    sinkIdentifier: sinkArn,
                    labelTemplate: LINK_LABEL_TEMPLATE,
                    resourceTypes: [...args.resourceTypes],
                    region,
                    // The guardrail protects orgwatch's links by this tag (the log-archive account's is bound by it).
                    tags: { [BASELINE_LINK_TAG.key]: BASELINE_LINK_TAG.value },
                },
                { parent: this },
            );
            this.linkArns[region] = link.arn;
        }
        this.registerOutputs({ linkArns: this.linkArns });
    }
}
