import { splitToken } from "./aws-types";

/** Service namespace in ARNs, where it differs from the Pulumi module name. */
const ARN_SERVICE: Readonly<Record<string, string>> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    elb: "elasticloadbalancing",
    cognito: "cognito-idp",
    cfg: "config",
    efs: "elasticfilesystem",
    apigatewayv2: "apigateway",
    opensearch: "es",
    elasticsearch: "es",
    msk: "kafka",
    sfn: "states",
    ssoadmin: "sso",
    servicediscovery: "servicediscovery",
    appautoscaling: "application-autoscaling",
    cloudwatch: "cloudwatch",
};

/** The ARN service namespace of a Pulumi type token (`aws:cloudwatch/logGroup:LogGroup` → `logs`). */
export function arnServiceOf(type: string): string {
    const parts = splitToken(type);
    if (!parts) {
        return "unknown";
    }
    if (parts.module === "cloudwatch") {
        // Invokes read the same resources: `getLogGroup` is a Logs function.
        const member = parts.member.replace(/^get(?=[A-Z])/, "").toLowerCase();
        if (member.startsWith("log") || member.startsWith("query")) {
            return "logs";
        }
        if (member.startsWith("event")) {
            return "events";
        }
    }
    return ARN_SERVICE[parts.module] ?? parts.module;
}
