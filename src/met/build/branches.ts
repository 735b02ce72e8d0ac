/**
 * The nodes winnow adds on top of the sources: a root per node type, and the branch of rare
 * diseases that are not in DOID. Each is created only when some node hangs under it.
 */
import type { NodeType } from '../tree.js';

export const RARE_NOT_IN_DOID = 'MET:rare-not-in-doid';

export interface BranchNode {
  id: string;
  label: string;
  parent?: string;
}

export const BRANCHES: readonly BranchNode[] = [
  { id: 'MET:diseases', label: 'diseases' },
  { id: 'MET:anatomy', label: 'anatomy' },
  { id: 'MET:symptoms', label: 'symptoms and signs' },
  { id: 'MET:modalities', label: 'imaging modalities' },
  { id: RARE_NOT_IN_DOID, label: 'rare disease, not in DOID', parent: 'MET:diseases' },
];

/** The branch root a type's top nodes hang under. */
export const ROOT_OF: Record<Exclude<NodeType, 'branch'>, string> = {
  disease: 'MET:diseases',
  anatomy: 'MET:anatomy',
  symptom: 'MET:symptoms',
  modality: 'MET:modalities',
};

/** The source that the branch nodes name as theirs. */
export const WINNOW_SOURCE = 'winnow';
