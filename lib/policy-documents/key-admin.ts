import { accountRootArn } from "./arns";
import type { PolicyStatement } from "./types";
import { requireIamPrincipalArn, unique } from "./validate";

/**
 * The key-owning account's root (so IAM policies in that account can grant use of the key, and the key can
 * never become unmanageable) plus the named administrators get `kms:*`.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
 */
export function keyAdministration(partition: string, keyAccountId: string, adminPrincipalArns: readonly string[]): PolicyStatement {
    adminPrincipalArns.forEach((arn, i) => requireIamPrincipalArn(`adminPrincipalArns[${i}]`, arn, partition));
    return {
        Sid: "EnableKeyAdministration",
        Effect: "Allow",
        Principal: { AWS: unique([accountRootArn(partition, keyAccountId), ...adminPrincipalArns]) },
        Action: "kms:*",
        Resource: "*",
    };
}

/** What only AWS services do with a governance key: make data keys and encrypt (writing what the key protects). */
export const GOVERNANCE_KEY_SERVICE_ACTIONS: readonly string[] = ["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncryptTo"];

/**
 * The statements every governance key carries on top of its grants, binding everyone, the key administrators
 * and the management account included (SCPs bind neither):
 * - `DenyGrantsExceptForAwsResources`: a grant hands the key to any principal, an outside account included,
 *   without a key policy change; only grants an AWS service creates for a resource it manages are allowed
 *   (`kms:GrantIsForAWSResource`, absent or false on a direct `CreateGrant`). None of the services that use the
 *   governance keys (CloudTrail, CloudWatch Logs, SNS) uses grants.
 * - `DenyDataKeysExceptAwsServices`: only AWS service principals (CloudTrail, CloudWatch Logs, CloudWatch through
 *   SNS) encrypt with the key; an administrator who could generate data keys could forge what it protects, e.g.
 *   CloudTrail log files under the trail's encryption context.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
export function governanceKeyDenials(): PolicyStatement[] {
    return [
        {
            Sid: "DenyGrantsExceptForAwsResources",
            Effect: "Deny",
            Principal: "*",
            Action: "kms:CreateGrant",
            Resource: "*",
            Condition: { BoolIfExists: { "kms:GrantIsForAWSResource": "false" } },
        },
        {
            Sid: "DenyDataKeysExceptAwsServices",
            Effect: "Deny",
            Principal: "*",
            Action: GOVERNANCE_KEY_SERVICE_ACTIONS,
            Resource: "*",
            Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
        },
    ];
}
