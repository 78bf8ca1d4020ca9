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
