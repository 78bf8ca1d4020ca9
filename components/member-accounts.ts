import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MemberAccountConfig } from "../lib/config/schema";
import { slug } from "../lib/naming";

export interface MemberAccountsArgs {
    /** Member accounts from config: adopted (`id`) or created (`email` + `ou`). */
    readonly accounts: readonly MemberAccountConfig[];
    /** OU paths to create, parents first (`Root/Workloads`, `Root/Workloads/Prod`). */
    readonly organizationalUnits: readonly string[];
    /** Role AWS Organizations creates in new accounts unless an account names its own. */
    readonly defaultRoleName: string;
    /** Protect created accounts and OUs from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * Organizational units and member accounts in the management account. Adopted accounts are only
 * referenced; created accounts are `aws.organizations.Account` with `closeOnDeletion` off: removing
 * one from config removes it from the stack, never closes it. Names derive from account and OU
 * names, never list positions, so adding or removing one touches nothing else.
 */
export class MemberAccounts extends pulumi.ComponentResource {
    /** Account id per member name (created accounts' ids are known after creation). */
    public readonly accountIds: Record<string, pulumi.Output<string>>;
    /** Id per OU path, `Root` included (the organization's root). */
    public readonly ouIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: MemberAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:accounts:MemberAccounts", name, {}, opts);
        const protect = args.protect ?? true;
        const ouIds = new Map<string, pulumi.Output<string>>();
        const org = aws.organizations.getOrganizationOutput({}, { parent: this });
        ouIds.set("Root", org.roots.apply((roots) => roots[0].id));
        for (const path of args.organizationalUnits) {
            const parentPath = path.slice(0, path.lastIndexOf("/"));
            const parentId = ouIds.get(parentPath);
            if (parentId === undefined) throw new Error(`OU ${path} listed before its parent ${parentPath}`);
            const ou = new aws.organizations.OrganizationalUnit(
                `${name}-ou-${slug(path)}`,
                { name: path.slice(path.lastIndexOf("/") + 1), parentId },
                { parent: this, protect },
            );
            ouIds.set(path, ou.id);
        }
        this.accountIds = {};
        for (const acct of args.accounts) {
            if (acct.id !== undefined) {
                this.accountIds[acct.name] = pulumi.output(acct.id);
                continue;
            }
            const parentId = acct.ou === undefined ? undefined : (ouIds.get(acct.ou) ?? pulumi.output(acct.ou));
            const created = new aws.organizations.Account(
                `${name}-account-${slug(acct.name)}`,
                {
                    name: acct.name,
                    email: acct.email ?? "",
                    parentId,
                    roleName: acct.roleName ?? args.defaultRoleName,
                    closeOnDeletion: false,
                    iamUserAccessToBilling: "DENY",
                },
                // AWS cannot change the role name or email of an existing account through this API.
                { parent: this, protect, ignoreChanges: ["roleName", "iamUserAccessToBilling"] },
            );
            this.accountIds[acct.name] = created.id;
        }
        this.ouIds = Object.fromEntries(ouIds);
        this.registerOutputs({ accountIds: this.accountIds });
    }
}
