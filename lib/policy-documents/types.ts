/** The only policy language version orgwatch writes. */
export const POLICY_VERSION = "2012-10-17";

/** A condition value: one string or a list of strings (IAM compares each). */
export type ConditionValue = string | readonly string[];

/**
 * The `Condition` element: operator (`StringEquals`, `ArnLike`, `ForAllValues:StringEquals`, `Null`, …)
 * → condition key (`aws:SourceArn`, …) → value(s).
 */
export type PolicyCondition = Readonly<Record<string, Readonly<Record<string, ConditionValue>>>>;

/** The `Principal` / `NotPrincipal` element: `"*"` or principals by kind. */
export type PolicyPrincipal =
    | "*"
    | {
          readonly AWS?: string | readonly string[];
          readonly Service?: string | readonly string[];
          readonly Federated?: string | readonly string[];
      };

/** One statement of an IAM policy document. */
export interface PolicyStatement {
    /** Stable PascalCase id; tests and reviewers refer to statements by it. */
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    /** Absent in identity (role) policies. */
    readonly Principal?: PolicyPrincipal;
    readonly NotPrincipal?: PolicyPrincipal;
    readonly Action?: string | readonly string[];
    readonly NotAction?: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly NotResource?: string | readonly string[];
    readonly Condition?: PolicyCondition;
}

/** An IAM policy document (resource policy, key policy, trust policy or identity policy). */
export interface PolicyDocument {
    readonly Version: typeof POLICY_VERSION;
    readonly Id?: string;
    readonly Statement: readonly PolicyStatement[];
}
