import * as fs from "fs";
import * as aws from "@pulumi/aws";

enum Billing {
    OnDemand = "PAY_PER_REQUEST",
    Provisioned = "PROVISIONED",
}

namespace naming {
    export const table = (name: string): string => `app-${name}`;
}

// Pulumi runs a program whose main is a directory from that directory.
const names = fs.readFileSync("tables.txt", "utf8").split("\n").filter((l) => l.trim() !== "");

export const tables = names.map((name) => {
    const table = new aws.dynamodb.Table(name, {
        name: naming.table(name),
        billingMode: Billing.OnDemand,
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
        pointInTimeRecovery: { enabled: true },
    });
    return table.name;
});
