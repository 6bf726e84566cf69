/** Datasets as the UI sees them. */
import type { Lang } from './domain';

export interface DatasetInfo {
  id: number;
  name: string;
  lang: Lang;
  format: string;
  itemCount: number;
  parallelGroup: string | null;
  sourcePath: string;
  createdAt: string;
  categories: string[];
  taskTypes: string[];
}

export interface DatasetPreview {
  format: string;
  itemCount: number;
  /** The first items as they would be imported. */
  items: { id: string; instruction: string; category?: string; taskTypes?: string[] }[];
}
