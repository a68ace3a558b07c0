#!/usr/bin/env bash
# Update the Swedish and English message catalogues: one per app (bibblix/<app>/locale) and one
# for the project-level templates and code (bibblix/locale). Then compile them.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=bibblix.settings PYTHONPATH="$PWD"
admin="$PWD/.venv/bin/django-admin"
# `scripts/messages.sh APP...` updates only those apps' catalogues (and compiles them all).
apps=(audit usage jobs members catalogue patrons lending reader motivation opds billing insights)
only=("$@")
for app in "${apps[@]}"; do
  if [ ${#only[@]} -gt 0 ] && [[ ! " ${only[*]} " =~ " $app " ]]; then continue; fi
  mkdir -p "bibblix/$app/locale"
  (cd "bibblix/$app" && "$admin" makemessages -l sv --no-location -i "tests/*" >/dev/null)
done
ignores=()
for app in "${apps[@]}" demo tests; do ignores+=(-i "$app/*"); done
[ ${#only[@]} -eq 0 ] && (cd bibblix && "$admin" makemessages -l sv --no-location "${ignores[@]}" >/dev/null)
(cd bibblix && "$admin" compilemessages >/dev/null)
echo "message catalogues updated and compiled"
