/** Generated stack configs for the scale benchmark and the scale test. */

export const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"];
const OUS = ["Root/Workloads", "Root/Workloads/Prod", "Root/Workloads/NonProd", "Root/Sandbox"];

/** A valid stack config with `accounts` members (every tenth created, in each of the OUs in turn; the rest adopted). */
export function generatedConfig(accounts: number): Record<string, string> {
    const members = Array.from({ length: accounts }, (_, i) => {
        const name = `member-${String(i).padStart(5, "0")}`;
        if (i % 10 === 9) return { name, email: `aws+${name}@example.com`, ou: OUS[Math.floor(i / 10) % OUS.length] };
        return { name, id: String(500000000000 + i) };
    });
    return {
        "aws:region": REGIONS[0],
        "orgwatch:organization": JSON.stringify({ id: "o-abcdef1234", managementAccountId: "111111111111", logArchiveAccountId: "222222222222", monitoringAccountId: "333333333333" }),
        "orgwatch:regions": JSON.stringify({ home: REGIONS[0], governed: REGIONS }),
        "orgwatch:organizationalUnits": JSON.stringify(OUS),
        "orgwatch:accounts": JSON.stringify(members),
    };
}
