// Entry of the top-up window (topup.html): the same bridge and styles as the tray window.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiProvider } from './api'
import { TopUpApp } from './topup/TopUpApp'
import './styles.css'
import './topup/topup.css'

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from topup.html')
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={window.creditTray}>
      <TopUpApp />
    </ApiProvider>
  </StrictMode>
)
