/**
 * Line shapes that are code and almost never prose in EN/FR/ES answers. Each pattern pairs a
 * keyword with code syntax (a parenthesis, `=`, a brace) because the bare keyword ("import",
 * "class", "return") also starts English sentences. French prose ends list items with " ;"
 * (space before), so a trailing `;` counts only when glued to code punctuation.
 */
const CODE_LINE_PATTERNS: RegExp[] = [
  /^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->\s*[\w\[\], .]+)?:\s*$/, // Python def
  /^\s*class\s+\w+\s*(\(.*\))?\s*[:{]\s*$/, // class header
  /^\s*(export\s+)?(async\s+)?function\s*\*?\s*\w*\s*\(.*\)\s*\{?\s*$/, // JS function
  /^\s*(import\s+[\w{*][^;]*|from\s+[\w.]+\s+import\s+.+)$/, // imports
  /^\s*#include\s*[<"]/, // C/C++
  /^\s*(public|private|protected|static)\s+[\w<>[\]]+\s+\w+/, // Java/C#
  /^\s*(const|let|var)\s+[\w${}[\], ]+\s*=/, // JS declarations
  /^\s*(print|console\.log|printf|System\.out\.println|echo)\s*\(/, // print calls
  /^\s*(if|for|while|switch|elif)\s*\(.*\)\s*\{?\s*$/, // C-style control
  /^\s*(if|elif|while|for)\s+[^.!?]*[=<>()[\]][^.!?]*:\s*$/, // Python control with an expression
  /^\s*for\s+\w+\s+in\s+\S+.*:\s*$/, // Python for-in
  /^\s*(else|try|finally):\s*$/, // bare Python block keywords
  /^\s*return\b.*;\s*$/, // return statement
  /^(?=.*[=(]).*\S;\s*$/, // statement with `=` or a call, ending with a glued `;`
  /\{\s*$/, // opens a block
  /^\s*[}\])]+\s*[;,)]*\s*$/, // closes a block
  /^\s*[A-Za-z_$][\w$]*(\.[\w$]+|\[[^\]]*\])*\s*(=|\+=|-=|\*=|:=)\s*[^=\s]/, // assignment to an identifier
  /^\s*<\/?[a-zA-Z][\w-]*(\s[^>]*)?\/?>/, // markup tag
  /^\s*(\/\/|\/\*|\*\/)/, // C-style comments
  /^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE TABLE)\b.*\b(FROM|INTO|SET|WHERE|\()/, // SQL
  // SQL clauses on their own lines (upper-case keywords: "From there, …" in prose is not upper-case).
  /^\s*(SELECT|FROM|WHERE|GROUP BY|ORDER BY|HAVING|LIMIT|VALUES|((INNER|LEFT|RIGHT|FULL|CROSS) )?JOIN|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE (TABLE|INDEX|VIEW)|ALTER TABLE|DROP TABLE)\b[^.!?]*;?\s*$/,
  // Shell commands, with or without a "$ " prompt.
  /^\s*(\$\s+)?(sudo|apt-get|apt|npm|npx|pip3?|git|mkdir|chmod|chown|curl|wget|docker|brew|yarn|python3?|node|cd|ls|rm|cp|mv|grep|cat|echo|export)\s+(-{1,2}\w|[\w./~$"'=-]+)(\s+\S+)*\s*$/,
];

/** Lines where a shell command name is an English word at the start of a sentence. */
const SHELL_PROSE = /^\s*(cat|echo|export|node|cd|ls|rm|cp|mv|grep|python3?)\s+[A-Za-z]+\s+[a-z]+\s+[a-z]+/;

/** A maths line ("jk = (2m + 1)(2n + 1)", "s = 1 + 9 = 10"): letters, digits and operators, no call of a named function. */
const MATH_LINE = /^[\p{L}\p{N}\s+\-*/^=().,√²³×÷%<>≤≥≈±π]+$/u;

/** Whether one line of an answer is code (shared by the code and language detectors). */
export function isCodeLine(line: string): boolean {
  if (line.trim().length === 0) return false;
  // The assignment pattern requires a one-word left side; `x = 2` lines of a maths answer still
  // match, so single-letter variables do not count on their own.
  if (/^\s*[A-Za-z]\s*=/.test(line)) return false;
  if (/\s=\s/.test(line) && MATH_LINE.test(line) && !/[\p{L}_]{2,}\(/u.test(line)) return false;
  if (SHELL_PROSE.test(line) && /[.!?]\s*$/.test(line)) return false;
  return CODE_LINE_PATTERNS.some((re) => re.test(line));
}
