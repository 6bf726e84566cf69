export { DatasetError, type DatasetErrorInit } from './DatasetError';
export { loadDatasetFile, readDatasetFile, type ReadDatasetOptions, type DatasetFileContent } from './readDatasetFile';
export {
  readGenerationsFile,
  type ReadGenerationsOptions,
  type GenerationsFileContent,
  type ImportedOutput,
} from './readGenerationsFile';
export { selectSubset, readIdList, type SubsetSelection } from './selectSubset';
export { NATIVE_FIELDS, type FieldMapping } from './buildItems';
export { DATASET_FORMATS, type DatasetFormat } from './sourceRows';
