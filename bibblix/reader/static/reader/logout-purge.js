// Include on any page (e.g. base.html) so that logging out removes offline books.
import { purgeOnLogout } from './offline.js'

purgeOnLogout()
