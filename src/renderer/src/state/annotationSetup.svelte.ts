import type { CriticalErrorRate, LabelInfo } from '../../../shared/api';
import { api } from '../lib/api';
import { reportFailure } from '../lib/reportFailure';

/**
 * The project side of annotation: custom labels, who annotates what (overlap for agreement), and the
 * critical-error rates that come out of it.
 */
export class AnnotationSetupState {
  labels = $state.raw<LabelInfo[]>([]);
  newLabel = $state('');
  newDefinition = $state('');
  annotators = $state('');
  overlapPercent = $state(20);
  seed = $state(1);
  rates = $state.raw<CriticalErrorRate[]>([]);
  ratesSource = $state<'human' | 'detector'>('detector');
  message = $state<string | null>(null);
  error = $state<string | null>(null);

  async load(runId: number | null): Promise<void> {
    await reportFailure(this, async () => {
      this.labels = await api.call('labels.list', {});
      this.rates = await api.call('annotations.rates', { source: this.ratesSource, runIds: runId !== null ? [runId] : undefined });
    });
  }

  async addLabel(): Promise<void> {
    await reportFailure(this, async () => {
      const label = await api.call('labels.add', { name: this.newLabel.trim(), definition: this.newDefinition.trim() });
      this.labels = [...this.labels, label];
      this.message = `Added the label "${label.name}".`;
      this.newLabel = '';
      this.newDefinition = '';
    });
  }

  async assign(runId: number | null): Promise<void> {
    await reportFailure(this, async () => {
      if (runId === null) throw new Error('Choose a run first: assignments are made per run.');
      const annotators = this.annotators.split(',').map((a) => a.trim()).filter(Boolean);
      await api.call('annotations.assign', { runIds: [runId], annotators, overlap: this.overlapPercent / 100, seed: this.seed });
      this.message = `Assigned the run's generations to ${annotators.join(', ')} with ${this.overlapPercent}% overlap.`;
    });
  }
}

export const annotationSetup = new AnnotationSetupState();
