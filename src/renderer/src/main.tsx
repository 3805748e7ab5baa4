import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiProvider } from './api'
import { App } from './App'
import { Announcer } from './components/LiveRegion'
import './styles.css'

// The bundle (React included) has been fetched and evaluated: the app's own work starts here.
// The renderer benchmark reports the time from this mark to the balance painted.
performance.mark('app-start')

const root = document.getElementById('root')
if (!root) throw new Error('#root missing from index.html')
createRoot(root).render(
  <StrictMode>
    <ApiProvider api={window.creditTray}>
      <Announcer>
        <App />
      </Announcer>
    </ApiProvider>
  </StrictMode>
)
