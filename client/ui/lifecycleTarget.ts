/** What the delete and retention controls act on: a workshop (facilitator key) or a programme (programme key). */
export interface LifecycleTarget {
  kind: 'workshop' | 'programme'
  id: string
  token: string
}

export const lifecyclePath = ({ kind, id }: Pick<LifecycleTarget, 'kind' | 'id'>): string => `/api/${kind === 'workshop' ? 'workshops' : 'programmes'}/${id}`
