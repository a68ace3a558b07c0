// Included on every page (base.html). On a shared device what a child leaves in the browser is
// theirs alone: offline books follow the child's loans on every online page (a book returned on
// any page, through the API or by expiry goes at once), a page without a logged-in child or of
// another child clears the device, and logging out clears it before the form is sent (the
// logout response's Clear-Site-Data does the same where the browser supports it).
import { clearChildStorage, currentChild, purgeOnLogout, setChild, syncWithLoans } from './offline.js'

const child = currentChild()
purgeOnLogout()
if (navigator.onLine) {
    setChild(child).then(() => (child ? syncWithLoans('/api/v1/loans') : null))
    if (!child) clearChildStorage()
}
