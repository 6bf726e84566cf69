import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../../../shared/errors';
import { GgmlType, GgufFileType, GgufInsights, readGgufFileInfo, resolveChatWrapper, type GgufFileInfo, type Llama } from 'node-llama-cpp';

/** What the GGUF header says, read without loading weights. */
export interface GgufSummary {
  sizeBytes: number;
  architecture: string | null;
  name: string | null;
  parameterCount: number | null;
  quantization: string | null;
  trainContextSize: number | null;
  chatTemplate: string | null;
  /**
   * The format node-llama-cpp recognises in the chat template (e.g. "ChatML", "Llama3"), "JinjaTemplate" when it
   * renders an unrecognised template as Jinja; null without a template.
   */
  chatTemplateName: string | null;
  /** The tokenizer type (tokenizer.ggml.model): "llama" (SentencePiece), "gpt2" (byte-level BPE)… */
  tokenizerModel: string | null;
  tensorCount: number;
  /** False for vocab-only files (a tokenizer without weights): they cannot generate. */
  runnable: boolean;
}

/** What is wrong with a model file, for the UI to offer the right way out (locate, remove, download again). */
export type ModelFileProblem = 'missing' | 'not-a-file' | 'not-gguf' | 'unreadable' | 'truncated' | 'vocab-only' | 'load-failed';

/** An input error: the file the user chose cannot be used (the problem says which way out fits). */
export class ModelFileError extends InputError {
  constructor(
    readonly path: string,
    message: string,
    readonly problem: ModelFileProblem = 'load-failed',
  ) {
    super(`${path}: ${message}`);
    this.name = 'ModelFileError';
  }
}

const GGUF_MAGIC = 'GGUF';
/** Magic (4 bytes), version (u32), tensor count (u64), key/value count (u64). */
const GGUF_PREAMBLE_BYTES = 24;
/** llama.cpp reads versions 2 and 3 (version 1 used 32-bit counts and is refused by llama.cpp itself). */
const GGUF_VERSIONS = [2, 3];
const DOWNLOAD_AGAIN = 'The file is probably truncated or corrupt: download it again.';

/**
 * node-llama-cpp's reader accepts a bare "GGUF" (it reads missing bytes as zeros, warns about version 0 and
 * returns an empty vocab-only file), so the fixed-size preamble is checked here before it is handed the file.
 */
function checkPreamble(path: string, head: Buffer): void {
  if (head.subarray(0, 4).toString('latin1') !== GGUF_MAGIC) {
    throw new ModelFileError(
      path,
      'not a GGUF file (the first bytes are not "GGUF"). Convert the model to GGUF (llama.cpp convert_hf_to_gguf.py) or download a .gguf build.',
      'not-gguf',
    );
  }
  if (head.length < GGUF_PREAMBLE_BYTES) {
    throw new ModelFileError(path, `the GGUF header is cut short: ${head.length} bytes, a header needs at least ${GGUF_PREAMBLE_BYTES}. ${DOWNLOAD_AGAIN}`, 'truncated');
  }
  const version = head.readUInt32LE(4);
  if (!GGUF_VERSIONS.includes(version)) {
    throw new ModelFileError(
      path,
      `unsupported GGUF version ${version} (llama.cpp reads versions ${GGUF_VERSIONS.join(' and ')}). Convert the model again with a current llama.cpp, or download another build.`,
      'not-gguf',
    );
  }
}

/** The header (preamble, key/values, tensor infos) must fit in the file: node-llama-cpp does not check it. */
function checkHeaderLength(path: string, fileInfo: GgufFileInfo, fileSize: number): void {
  // node-llama-cpp counts the preamble in metadataSize (24 for a bare preamble).
  const headerEnd = fileInfo.metadataSize + (fileInfo.tensorInfoSize ?? 0);
  if (fileSize < headerEnd) {
    throw new ModelFileError(path, `truncated: the GGUF header needs ${headerEnd.toLocaleString('en')} bytes but the file has ${fileSize.toLocaleString('en')}. Download it again.`, 'truncated');
  }
}


/**
 * Checks that `path` is a complete GGUF file and summarises its metadata.
 * Refuses, with a message saying what to do: a missing file, a non-GGUF file, a truncated file.
 * `llama` is needed only for tensor sizes (the truncation check); metadata alone needs no native code.
 */
export async function inspectGguf(path: string, llama: Llama): Promise<{ summary: GgufSummary; fileInfo: GgufFileInfo }> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ELOOP') {
      throw new ModelFileError(path, 'symbolic link loop (the link points back to itself through other links). Point the link at the real .gguf file.', 'not-a-file');
    }
    return null;
  });
  if (!st) throw new ModelFileError(path, 'file not found. Check the path, or re-add the model if it was moved.', 'missing');
  if (!st.isFile()) throw new ModelFileError(path, 'not a regular file (a folder? scan folders with "Scan a folder").', 'not-a-file');
  const head = Buffer.alloc(GGUF_PREAMBLE_BYTES);
  const fh = await open(path, 'r');
  let headBytes: number;
  try {
    ({ bytesRead: headBytes } = await fh.read(head, 0, GGUF_PREAMBLE_BYTES, 0));
  } finally {
    await fh.close();
  }
  checkPreamble(path, head.subarray(0, headBytes));
  let fileInfo: GgufFileInfo;
  try {
    fileInfo = await readGgufFileInfo(path, { readTensorInfo: true });
  } catch (err) {
    throw new ModelFileError(path, `the GGUF header cannot be read (${errorText(err)}). ${DOWNLOAD_AGAIN}`, 'unreadable');
  }
  checkHeaderLength(path, fileInfo, st.size);
  const tensors = fileInfo.fullTensorInfo ?? fileInfo.tensorInfo ?? [];
  let parameterCount: number | null = null;
  /** Old converters (e.g. llama2.c's) write no general.file_type: the tensors' dominant type says it instead. */
  let dominantType: string | null = null;
  if (tensors.length > 0) {
    // A header cut short can still parse partly (node-llama-cpp reads it lazily) and then fail deep inside.
    const insights = await GgufInsights.from(fileInfo, llama).catch((err: unknown) => {
      throw new ModelFileError(path, `the GGUF header is incomplete (${errorText(err)}). The file is probably truncated or corrupt: download it again.`, 'unreadable');
    });
    parameterCount = insights.totalParameters;
    dominantType = insights.dominantTensorType == null ? null : (GgmlType[insights.dominantTensorType] ?? null);
    // Tensor data starts at the first tensor's file offset minus its relative offset; the file must hold
    // all tensor bytes after it. Padding between tensors only makes the real end later, so this never
    // refuses a complete file.
    const first = tensors[0]!;
    const dataStart = Number(first.fileOffset) - Number(first.offset);
    const needed = dataStart + insights.modelSize;
    if (st.size < needed) {
      throw new ModelFileError(
        path,
        `truncated: the header describes ${needed.toLocaleString('en')} bytes of tensors but the file has ${st.size.toLocaleString('en')}. Download it again.`,
        'truncated',
      );
    }
  }
  const md = fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const general = md.general ?? {};
  const tokenizer = (md.tokenizer ?? {}) as Record<string, unknown>;
  const architecture = typeof general.architecture === 'string' ? general.architecture : null;
  const archMeta = architecture ? (md[architecture] ?? {}) : {};
  const fileType = typeof general.file_type === 'number' ? general.file_type : null;
  const chatTemplate = typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : null;
  return {
    fileInfo,
    summary: {
      sizeBytes: st.size,
      architecture,
      name: typeof general.name === 'string' ? general.name : null,
      parameterCount,
      quantization: fileType == null ? dominantType : (GgufFileType[fileType]?.replace(/^MOSTLY_/, '') ?? `file type ${fileType}`),
      trainContextSize: typeof archMeta.context_length === 'number' ? archMeta.context_length : null,
      chatTemplate,
      chatTemplateName: chatTemplate ? chatTemplateName(fileInfo, path) : null,
      tokenizerModel:
        typeof (tokenizer.ggml as Record<string, unknown> | undefined)?.model === 'string'
          ? ((tokenizer.ggml as Record<string, unknown>).model as string)
          : null,
      tensorCount: tensors.length,
      runnable: tensors.length > 0,
    },
  };
}

/** The chat format node-llama-cpp resolves from the header alone (no weights loaded); null if it cannot tell. */
function chatTemplateName(fileInfo: GgufFileInfo, path: string): string | null {
  try {
    return resolveChatWrapper({ type: 'auto', fileInfo, filename: basename(path), bosString: null })?.wrapperName ?? null;
  } catch {
    // An unparseable template is still shown as text; only its name is unknown.
    return null;
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
