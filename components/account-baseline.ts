import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** OAM link label: the account's name as AWS Organizations knows it (an OAM label variable). */
export const LINK_LABEL_TEMPLATE = "$AccountName";

export interface AccountBaselineArgs {
    /** OAM sink ARN per governed Region (from the monitoring account). */
    readonly sinkArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** What the account shares with the monitoring account. */
    readonly resourceTypes: readonly string[];
}

/**
 * What every governed account gets: an OAM link per governed Region to the monitoring account's
 * sink, sharing the configured telemetry types. Deliberately small (one resource per Region): it is
 * multiplied by every account of the organization. Log groups reach the monitoring account through
 * the organization centralization rule, which needs nothing in the member account.
 */
export class AccountBaseline extends pulumi.ComponentResource {
    public readonly linkArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: AccountBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:baseline:AccountBaseline", name, {}, opts);
        this.linkArns = {};
        for (const [region, sinkArn] of Object.entries(args.sinkArns)) {
            const link = new aws.oam.Link(
                `${name}-link-${region}`,
                { sinkIdentifier: sinkArn, labelTemplate: LINK_LABEL_TEMPLATE, resourceTypes: [...args.resourceTypes], region },
                { parent: this },
            );
            this.linkArns[region] = link.arn;
        }
        this.registerOutputs({ linkArns: this.linkArns });
    }
}
