import type { ExportModel } from '../../shared/exportModel.ts'
import type { EvidenceModel } from '../../shared/programme.ts'
import { renderDocx } from './docx.ts'
import { evidenceRenderer } from './evidence.ts'
import { renderPdf } from './pdf.ts'

/** A document to lay out: the workshop's agreed vision, or a programme's evidence pack. */
export type DocumentJob =
  | { kind: 'workshop'; format: 'pdf' | 'docx'; model: ExportModel }
  | { kind: 'evidence'; format: 'pdf' | 'docx'; model: EvidenceModel }

/** Lays out one document. Runs on the document thread (DocumentWorker), never on the event loop. */
export function renderDocument(job: DocumentJob): Promise<Uint8Array> {
  if (job.kind === 'evidence') return evidenceRenderer[job.format](job.model)
  return job.format === 'pdf' ? renderPdf(job.model) : renderDocx(job.model)
}
