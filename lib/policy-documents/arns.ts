import { requireAccountId, requirePartition, requireRegion, requireTrailName } from "./validate";

/**
 * The ARN of a trail. For an organization trail the account is always the management account, even when a
 * delegated administrator created it; bucket and key policies must use this ARN in `aws:SourceArn`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html
 */
export function trailArn(a: {
    readonly partition: string;
    readonly region: string;
    readonly managementAccountId: string;
    readonly trailName: string;
}): string {
    requirePartition("partition", a.partition);
    requireRegion("region", a.region);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireTrailName("trailName", a.trailName);
    return `arn:${a.partition}:cloudtrail:${a.region}:${a.managementAccountId}:trail/${a.trailName}`;
}

/** The principal ARN standing for a whole account (`arn:<partition>:iam::<account-id>:root`). */
export function accountRootArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}
