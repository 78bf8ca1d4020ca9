/**
 * Where an AWS resource lands (account and Region), following the provider the engine would use.
 *
 * Pulumi resolves a custom resource's provider on the client: an explicit `provider` option, else the
 * `providers` of its parent chain, else the default provider of the package. The default `aws`
 * provider is configured by stack config (`aws:region`, `aws:allowedAccountIds`, `aws:assumeRoles`,
 * `aws:defaultTags`); explicit providers do NOT read that config.
 */

/** The settings of one `aws` provider that decide where its resources land. */
export interface AwsProviderSettings {
    /** Region of the provider, null when it names none. */
    readonly region: string | null;
    /** The account its credentials act in, when the provider pins or assumes into one; else null. */
    readonly account: string | null;
    /** ARN of the last role in the `assumeRoles` chain, when there is one. */
    readonly roleArn: string | null;
    /** `defaultTags.tags` of the provider. @default {} */
    readonly defaultTags: Readonly<Record<string, string>>;
}

export const EMPTY_PROVIDER: AwsProviderSettings = { region: null, account: null, roleArn: null, defaultTags: {} };

/** Provider inputs arrive as JSON strings for object/array values; accept both forms. */
export function parseMaybeJson(value: unknown): unknown {
    if (typeof value !== "string") {
        return value;
    }
    const trimmed = value.trim();
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
        try {
            return JSON.parse(trimmed) as unknown;
        } catch {
            return value;
        }
    }
    return value;
}

/** The 12-digit account of an ARN (`arn:<p>:<svc>:<region>:<account>:...`), or null. */
export function accountOfArn(arn: string): string | null {
    const parts = arn.split(":");
    return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function lastRoleArn(assumeRoles: unknown): string | null {
    const parsed = parseMaybeJson(assumeRoles);
    const list = Array.isArray(parsed) ? parsed : isRecord(parsed) ? [parsed] : [];
    let arn: string | null = null;
    for (const item of list) {
        if (isRecord(item) && typeof item.roleArn === "string" && item.roleArn !== "") {
            arn = item.roleArn;
        }
    }
    return arn;
}

function stringRecord(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (isRecord(v)) {
        for (const [k, val] of Object.entries(v)) {
            if (typeof val === "string") {
                out[k] = val;
            }
        }
    }
    return out;
}

/**
 * Settings from the inputs of a `pulumi:providers:aws` resource (or the equivalent `aws:*` config).
 * The account is the one the credentials end up in: the account of the last assumed role; else the
 * single entry of `allowedAccountIds`; else unknown (ambient credentials).
 */
export function providerSettingsFromInputs(inputs: Readonly<Record<string, unknown>>): AwsProviderSettings {
    const region = typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : null;
    const roleArn = lastRoleArn(inputs.assumeRoles ?? inputs.assumeRole);
    const allowed = parseMaybeJson(inputs.allowedAccountIds);
    const allowedList = Array.isArray(allowed) ? allowed.filter((a): a is string => typeof a === "string") : [];
    const account = (roleArn ? accountOfArn(roleArn) : null) ?? (allowedList.length === 1 ? allowedList[0] : null);
    const defaultTagsValue = parseMaybeJson(inputs.defaultTags);
    const defaultTags = isRecord(defaultTagsValue) ? stringRecord(parseMaybeJson(defaultTagsValue.tags)) : {};
    return { region, account, roleArn, defaultTags };
}

/** Settings of the default `aws` provider, from stack config keys `aws:<key>`. */
export function providerSettingsFromConfig(config: Readonly<Record<string, string>>): AwsProviderSettings {
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith("aws:")) {
            inputs[key.slice("aws:".length)] = value;
        }
    }
    return providerSettingsFromInputs(inputs);
}

/** The id part of a provider reference `<provider urn>::<provider id>`. */
export function providerRefId(ref: string): string {
    const i = ref.lastIndexOf("::");
    return i < 0 ? ref : ref.slice(i + 2);
}

/** The URN part of a provider reference `<provider urn>::<provider id>`. */
export function providerRefUrn(ref: string): string {
    const i = ref.lastIndexOf("::");
    return i < 0 ? ref : ref.slice(0, i);
}

/** The package a provider URN belongs to: `urn:...::pulumi:providers:aws::name` → `aws`. */
export function providerPackage(providerUrn: string): string | undefined {
    const m = /::pulumi:providers:([^:]+)::/.exec(providerUrn) ?? /\$pulumi:providers:([^:]+)::/.exec(providerUrn);
    return m ? m[1] : undefined;
}

export interface Placement {
    readonly account: string | null;
    readonly region: string | null;
}

/**
 * Account and Region of a resource: the provider's, with a resource-level `region` input overriding
 * the provider's Region for regional types; global types get Region null.
 */
export function placeResource(
    provider: AwsProviderSettings,
    regional: boolean,
    inputs: Readonly<Record<string, unknown>>,
): Placement {
    if (!regional) {
        return { account: provider.account, region: null };
    }
    const own = typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : null;
    return { account: provider.account, region: own ?? provider.region };
}
