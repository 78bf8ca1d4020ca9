import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../lib/errors";

export interface AdoptedTrailArgs {
    /** Exact name of the existing trail log group. Exactly one of this and `logGroupNamePrefix`. */
    readonly logGroupName?: string;
    /**
     * Prefix of the existing trail log group. Control Tower names it `aws-controltower/CloudTrailLogs`
     * (with a random suffix since landing zone 4.0), so a prefix is how it is found.
     */
    readonly logGroupNamePrefix?: string;
    /** Region of the trail log group (the trail's home Region). */
    readonly region: string;
}

/**
 * An existing organization trail (e.g. Control Tower's) is kept as it is: nothing is created or
 * changed for it, its log group is looked up so that the CIS filters and alarms attach to it.
 * Control Tower forbids changing that log group's retention, so orgwatch does not manage it.
 */
export class AdoptedTrail extends pulumi.ComponentResource {
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;

    constructor(name: string, args: AdoptedTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:trail:AdoptedTrail", name, {}, opts);
        const invokeOpts: pulumi.InvokeOutputOptions = { parent: this };
        if (args.logGroupName !== undefined) {
            const found = aws.cloudwatch.getLogGroupOutput({ name: args.logGroupName, region: args.region }, invokeOpts);
            this.logGroupName = found.name;
            this.logGroupArn = found.arn;
        } else {
            const prefix = args.logGroupNamePrefix ?? "";
            const found = aws.cloudwatch.getLogGroupsOutput({ logGroupNamePrefix: prefix, region: args.region }, invokeOpts);
            const pick = found.apply((r) => {
                if (r.logGroupNames.length !== 1) {
                    throw new UserError(
                        "Cannot adopt the trail log group",
                        [{
                            path: "orgwatch:trail.adopt.logGroupNamePrefix",
                            allowed: "a prefix that matches exactly one log group in the management account's home Region",
                            received: r.logGroupNames.length === 0 ? `${JSON.stringify(prefix)}, which matches no log group` : `${JSON.stringify(prefix)}, which matches ${r.logGroupNames.join(", ")}`,
                        }],
                    );
                }
                return { name: r.logGroupNames[0], arn: r.arns[0] };
            });
            this.logGroupName = pick.name;
            this.logGroupArn = pick.arn;
        }
        this.registerOutputs({ logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
    }
}
