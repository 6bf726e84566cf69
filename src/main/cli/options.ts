/** Argument parsers shared by the commands: commander reports what they reject as a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';
import type { GpuOffload } from '../../shared/domain';
import { UsageError } from './context';

export const int = (name: string) => (value: string) => {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be an integer.`);
  return Number(value);
};

export const num = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
  return n;
};

export const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const runIdOf = (value: string) => {
  if (!/^\d+$/.test(value)) throw new UsageError(`run id must be a positive integer, got "${value}".`);
  return Number(value);
};

export const gpuOffload = (value: string): GpuOffload => {
  if (value === 'auto' || value === 'cpu') return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError('--gpu must be auto, cpu, or a number of layers to offload.');
};

export function formatParams(n: number | null): string {
  if (n == null) return '? params';
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B params`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M params`;
  return `${(n / 1e3).toFixed(0)}K params`;
}

export function formatReasons(reasons: Partial<Record<string, number>>): string {
  const parts = Object.entries(reasons).map(([k, v]) => `${k} ${v}`);
  return parts.length > 0 ? parts.join(', ') : 'no generations';
}
