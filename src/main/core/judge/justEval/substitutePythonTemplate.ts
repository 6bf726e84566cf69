/**
 * Python's `string.Template(template).substitute(mapping)`, exactly: `$$` is a literal `$`, `$name` and
 * `${name}` (ASCII identifier, any case) are replaced by the mapping's value, in one pass (a value is never
 * scanned again); a name missing from the mapping or any other `$` is an error, as Python's KeyError /
 * "Invalid placeholder" ValueError. `where` names the template in the message (e.g. the file).
 */
export function substitutePythonTemplate(template: string, mapping: Readonly<Record<string, string>>, where: string): string {
  // Python's Template.pattern with its default idpattern and re.IGNORECASE | re.ASCII.
  return template.replace(/\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|())/gi, (match, escaped, named, braced, _invalid, offset: number) => {
    if (escaped !== undefined) return '$';
    const name = (named ?? braced) as string | undefined;
    if (name === undefined) {
      const lines = template.slice(0, offset).split('\n');
      throw new Error(`${where}: invalid placeholder "$" at line ${lines.length}, column ${lines.at(-1)!.length + 1}: write "$$" for a dollar sign or \${name} for a placeholder.`);
    }
    if (!Object.hasOwn(mapping, name)) throw new Error(`${where}: placeholder "${match}" has no value (given: ${Object.keys(mapping).join(', ')}).`);
    return mapping[name]!;
  });
}
