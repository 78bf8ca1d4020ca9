import * as fs from "node:fs";
import * as path from "node:path";

/** The files of the site, read relative to the program's working directory. */
export function siteFiles(dir: string): { key: string; content: string; contentType: string }[] {
    return fs.readdirSync(dir).map((name) => ({
        key: name,
        content: fs.readFileSync(path.join(dir, name), "utf8"),
        contentType: name.endsWith(".html") ? "text/html" : "application/octet-stream",
    }));
}
