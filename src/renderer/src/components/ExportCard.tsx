// Settings: export the daily costs (by line item and by project) as a CSV file. Main asks where
// to save with the system dialog; the renderer never sees or chooses a path itself.
import { useState, type ReactNode } from 'react'
import { messageOf, useApi } from '../api'
import { Card, FieldError } from './fields'

type ExportState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'saved'; path: string | undefined }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string }

export function ExportCard(): ReactNode {
  const api = useApi()
  const [state, setState] = useState<ExportState>({ kind: 'idle' })

  async function run(): Promise<void> {
    setState({ kind: 'busy' })
    try {
      const result = await api.exportCsv()
      setState(result.saved ? { kind: 'saved', path: result.path } : { kind: 'cancelled' })
    } catch (e) {
      setState({ kind: 'failed', message: messageOf(e) })
    }
  }

  return (
    <Card titleId="export-title" title="Export">
      <p className="field-hint">
        Daily costs by line item and by project, as a CSV file for a spreadsheet.
      </p>
      <div className="button-row">
        <button
          type="button"
          className="btn"
          disabled={state.kind === 'busy'}
          onClick={() => void run()}
        >
          {state.kind === 'busy' ? 'Exporting…' : 'Export CSV…'}
        </button>
        {state.kind === 'saved' ? (
          <span className="field-ok" role="status">
            Saved{state.path ? ` to ${state.path}` : ''}.
          </span>
        ) : state.kind === 'cancelled' ? (
          <span className="muted" role="status">
            Not exported.
          </span>
        ) : null}
      </div>
      <FieldError message={state.kind === 'failed' ? state.message : null} />
    </Card>
  )
}
