/**
 * The official third-party files the paper's numbers depend on, pinned by commit and sha256 (from
 * ../shared/data/PROVENANCE.md). They are never shipped in this repository: the user points at a copy, or the
 * app fetches them from GitHub at these commits and checks every byte.
 */
export interface ReferenceFile {
  /** Path under the reference folder; the layout is the same as ../shared/data (urial_prompts/…, just_eval/…). */
  local: string;
  /** GitHub owner/name. */
  repo: string;
  commit: string;
  /** Path inside the repository at `commit`. */
  path: string;
  sha256: string;
  license: string;
}

const URIAL = { repo: 'Re-Align/URIAL', commit: '127f94ed4a08955a79368355fcd878a2ee8c0e2e', license: 'Apache-2.0' } as const;
const JUST_EVAL = { repo: 'Re-Align/just-eval', commit: '3e1a1265e210be1d6ad71624c91da3efc36493ca', license: 'MIT' } as const;

const urialPrompt = (name: string, sha256: string): ReferenceFile => ({
  ...URIAL,
  local: `urial_prompts/${name}`,
  path: `urial_prompts/${name}`,
  sha256,
});
const judgeTemplate = (name: string, sha256: string): ReferenceFile => ({
  ...JUST_EVAL,
  local: `just_eval/judge_templates/${name}`,
  path: `just_eval/${name}`,
  sha256,
});

export const REFERENCE_FILES: readonly ReferenceFile[] = [
  urialPrompt('inst_1k_v4.txt', '7373f07b27e708a6cfdb7ad27299e1e4ef7ac5acb476860b96254d74f87f54e0'),
  urialPrompt('inst_1k_v4.help.txt', '226e9719f2e3fe03a937c26ba6175bf8bc604295577dab28f0e0c78a4ffecfed'),
  urialPrompt('inst_1k.txt', '3a3989a9c5a58293362de475be08218cc552544882b8a8356b558d03c1a91f06'),
  urialPrompt('inst_2k.txt', '9cf9d0174c335c3599dec3f47893d60fdd28a18a518bd89fb1345ad5ee2aa0ba'),
  urialPrompt('inst_1shot.txt', 'd35e4b5218b9fcca4bba177595df08c4f958f05f650b00e4ba13f574c3a3a321'),
  urialPrompt('inst_only.txt', '6c1f210a7299f95a6205440e9e03c11e4615c8e84dd0a0b192258999b434ac59'),
  urialPrompt('inst_1k_v2.txt', '57ae9edc8a9480f3b6cd52c41988a714f96b32307825b830024decdfe8c01325'),
  urialPrompt('inst_1k_v3.txt', '5fa2058bd7f62818990d97b5459af5a18c3746d5a89a79d8f358889cbe2c7d9c'),
  urialPrompt('inst_2k_v4.txt', '6810b1304596a433f5a9995836dd2ade9ef9db72af45827aa3bf08f85adbeaab'),
  urialPrompt('inst_help_v6-1k.txt', '19536b8292fb34b3c114bb2a21a3a7abdca4c9c6736c808a2316c6769b361e5d'),
  // The licence travels with the prompts (Apache-2.0 asks for it).
  { ...URIAL, local: 'urial_prompts/LICENSE-URIAL-Apache-2.0.txt', path: 'LICENSE', sha256: 'c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4' },
  judgeTemplate('_MULTI_SCORE_TEMPLATE.py', '6bdabf59b1cd4693d20aeff4ff0d4651a14d2ddcd445c13db9cd847ca7c26925'),
  judgeTemplate('_SAFETY_SCORE_TEMPLATE.py', '6cbc853795184a2ed2488561d111821728f829a25aeeeaf0b4cedbd23d06d400'),
];

/** GitHub's raw file host; injectable so tests fetch from a loopback server. */
export const GITHUB_RAW_BASE = 'https://raw.githubusercontent.com';

export function referenceFileUrl(file: ReferenceFile, base = GITHUB_RAW_BASE): string {
  return `${base.replace(/\/+$/, '')}/${file.repo}/${file.commit}/${file.path}`;
}
