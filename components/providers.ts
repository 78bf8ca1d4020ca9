import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Tags every orgwatch resource carries (through the providers' default tags). */
export const MANAGED_BY_TAG = { ManagedBy: "orgwatch" } as const;

export interface AccountProviderArgs {
    /** The 12-digit account the provider may touch (`allowedAccountIds`): a wrong credential fails instead of deploying there. */
    readonly accountId: pulumi.Input<string>;
    /** Region of the provider; resources in other Regions set their own `region`. */
    readonly region: string;
    /** AWS partition of the Region (`aws`, `aws-cn`, `aws-us-gov`). */
    readonly partition: string;
    /** Role to assume in the account, by name. Ignored when `roleArn` is set. @default - no role is assumed */
    readonly roleName?: string;
    /** Role to assume, by ARN. @default - derived from `roleName` */
    readonly roleArn?: string;
    /** External id for the role assumption. @default - none */
    readonly externalId?: string;
    /** Tags added to every resource created through the provider. */
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * An explicit AWS provider for one account. The engine refuses to act in any other account
 * (`allowedAccountIds`), so a mix-up of credentials fails at the first API call.
 */
export function accountProvider(name: string, args: AccountProviderArgs, opts?: pulumi.CustomResourceOptions): aws.Provider {
    const roleArn = args.roleArn ?? (args.roleName !== undefined ? pulumi.interpolate`arn:${args.partition}:iam::${args.accountId}:role/${args.roleName}` : undefined);
    return new aws.Provider(
        name,
        {
            region: args.region,
            allowedAccountIds: [args.accountId],
            assumeRoles: roleArn === undefined ? undefined : [{ roleArn, sessionName: "orgwatch", externalId: args.externalId }],
            defaultTags: { tags: { ...args.tags, ...MANAGED_BY_TAG } },
        },
        opts,
    );
}
