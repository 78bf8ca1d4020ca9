import * as YAML from "yaml";
import { UserError } from "../errors";

/**
 * The stack-file edit behind `onboard`: append one member account to `orgwatch:accounts` with the
 * `yaml` Document API, which keeps comments, key order, quoting and blank lines of everything else.
 */

/** A member account as written in the stack file: adopted (`id`) or created (`email` + `ou`). */
export type AccountEntry =
    | { readonly name: string; readonly id: string; readonly ou?: string }
    | { readonly name: string; readonly email: string; readonly ou: string };

/** Printing options: no line folding, so long values (URLs, ARNs) stay on one line as written. */
const TO_STRING: YAML.ToStringOptions = { lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false };

export interface StackFileEdit {
    /** The file text after the edit. */
    readonly text: string;
    /** The config key that was extended (`orgwatch:accounts`, or `accounts` when the file uses the short form). */
    readonly key: string;
    /** True when the key did not exist and was added. */
    readonly createdKey: boolean;
}

/**
 * Returns `text` with `entry` appended as the last item of the account list. Pure.
 * @throws UserError when the text is not a stack file whose `config` is a mapping, or the account key is not a list.
 */
export function appendAccount(text: string, entry: AccountEntry, file: string, namespace = "orgwatch"): StackFileEdit {
    const doc = YAML.parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) {
        throw new UserError(`Invalid stack file ${file}`, [{ path: file, allowed: "valid YAML", received: doc.errors[0].code }], file);
    }
    if (doc.contents === null) {
        doc.contents = doc.createNode({ config: {} }) as YAML.ParsedNode;
    }
    if (!YAML.isMap(doc.contents)) {
        throw new UserError(`Invalid stack file ${file}`, [{ path: file, allowed: "a mapping with a `config:` key", received: "another YAML value" }], file);
    }
    let config = doc.get("config", true);
    if (config === undefined || config === null || (YAML.isScalar(config) && config.value === null)) {
        doc.set("config", doc.createNode({}));
        config = doc.get("config", true);
    }
    if (!YAML.isMap(config)) {
        throw new UserError(`Invalid stack file ${file}`, [{ path: `${file}: config`, allowed: "a mapping of `namespace:key: value`", received: "another YAML value" }], file);
    }
    const fullKey = `${namespace}:accounts`;
    const key = config.has(fullKey) || !config.has("accounts") ? fullKey : "accounts";
    const node = doc.createNode(entry) as YAML.YAMLMap;
    // Account ids are digit strings: quote them, or YAML would read a number.
    const id = node.get("id", true);
    if (YAML.isScalar(id)) id.type = "QUOTE_DOUBLE";
    const existing = config.get(key, true);
    let createdKey = false;
    if (existing === undefined || (YAML.isScalar(existing) && existing.value === null)) {
        const list = new YAML.YAMLSeq();
        list.items.push(node);
        config.set(key, list);
        createdKey = true;
    } else if (YAML.isSeq(existing)) {
        existing.items.push(node);
    } else {
        throw new UserError(`Invalid stack file ${file}`, [{ path: `${file}: config.${key}`, allowed: "a list of accounts", received: "another YAML value" }], file);
    }
    return { text: doc.toString(TO_STRING), key, createdKey };
}

/** True when the `yaml` library prints `text` back unchanged (so an edit changes only what it adds). */
export function roundTrips(text: string): boolean {
    const doc = YAML.parseDocument(text, { prettyErrors: false });
    return doc.errors.length === 0 && doc.toString(TO_STRING) === text;
}
