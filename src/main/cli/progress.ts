import { SingleBar, Presets } from 'cli-progress';
import type { DatasetDownloadProgress, DownloadInfo, JudgeRunProgress } from '../../shared/api';
import { formatBytes } from '../../shared/formatBytes';
import type { RunProgress } from '../../shared/domain';

export interface ProgressReporter {
  loading(fraction: number): void;
  update(progress: RunProgress): void;
  stop(): void;
}

/** A live bar on a terminal; on a pipe or in a log, one plain line per ~5% so logs stay readable. */
export function createProgressReporter(name: string, total: number, done: number, stream = process.stderr): ProgressReporter {
  if (stream.isTTY) {
    const bar = new SingleBar(
      { format: `${name} |{bar}| {value}/{total} · {tps} tok/s · ETA {eta_text}`, hideCursor: true, stream },
      Presets.shades_classic,
    );
    bar.start(total, done, { tps: '–', eta_text: '…' });
    return {
      loading: () => {},
      update: (p) => bar.update(p.done, { tps: p.tokensPerSecond.toFixed(1), eta_text: formatEta(p.etaSeconds) }),
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.round(total / 20));
  let lastLoad = -1;
  let lastDone = -1;
  return {
    loading: (f) => {
      const pct = Math.floor(f * 100);
      if (pct === 100 && lastLoad < 100) stream.write(`model loaded\n`);
      lastLoad = pct;
    },
    update: (p) => {
      if (p.done === lastDone || (p.done % step !== 0 && p.done !== p.total)) return;
      lastDone = p.done;
      stream.write(`progress ${p.done}/${p.total} · ${p.tokensPerSecond.toFixed(1)} tok/s · ETA ${formatEta(p.etaSeconds)}\n`);
    },
    stop: () => {},
  };
}

/** Judge runs: one plain line per ~5% of the calls (and the last), with N/A and cache counts. */
export function createJudgeProgressReporter(total: number, stream = process.stderr): (p: JudgeRunProgress) => void {
  const step = Math.max(1, Math.round(total / 20));
  let lastDone = -1;
  return (p) => {
    if (p.done === lastDone || (p.done % step !== 0 && p.done !== p.total)) return;
    lastDone = p.done;
    stream.write(`judged ${p.done}/${p.total} · N/A ${p.na} · cached ${p.cached} · ETA ${formatEta(p.etaSeconds)}\n`);
  };
}

/** Downloads: one plain line per ~10% of the bytes, then one per status change (verifying, done…). */
export function createDownloadProgressReporter(stream = process.stderr): (d: DownloadInfo) => void {
  let lastTenth = -1;
  let lastStatus = '';
  return (d) => {
    const tenth = d.totalBytes ? Math.floor((d.downloadedBytes / d.totalBytes) * 10) : 0;
    if (d.status === lastStatus && (d.status !== 'downloading' || tenth === lastTenth)) return;
    lastTenth = tenth;
    lastStatus = d.status;
    const speed = d.bytesPerSecond ? ` · ${formatBytes(d.bytesPerSecond)}/s` : '';
    stream.write(`${d.status} ${d.fileName ?? d.uri} · ${formatBytes(d.downloadedBytes)} of ${formatBytes(d.totalBytes)}${speed}\n`);
  };
}

function formatEta(seconds: number | null): string {
  if (seconds == null) return '…';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Dataset downloads: one plain line per ~10% (every MiB when the size is unknown), then the import. */
export function createDatasetDownloadReporter(stream = process.stderr): (p: DatasetDownloadProgress) => void {
  let lastStep = -1;
  return (p) => {
    if (p.stage === 'importing') return void stream.write(`importing ${p.uri} (${formatBytes(p.receivedBytes)})\n`);
    const step = p.totalBytes ? Math.floor((p.receivedBytes / p.totalBytes) * 10) : Math.floor(p.receivedBytes / 2 ** 20);
    if (step === lastStep) return;
    lastStep = step;
    stream.write(`downloading ${p.uri} · ${formatBytes(p.receivedBytes)} of ${formatBytes(p.totalBytes)}\n`);
  };
}
