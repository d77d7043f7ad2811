#!/usr/bin/env bash
# Extracts the user-facing strings of the executables into po/daryn.pot and
# merges them into po/{kk,ru,en}.po (translators then fill the new entries).
set -euo pipefail
cd "$(dirname "$0")/../.."
files=$(ls src/cli/*.c src/studio/*.c 2>/dev/null || true)
xgettext --from-code=UTF-8 -k_ -kN_ -kngettext:1,2 --add-comments=TRANSLATORS \
  --package-name=daryn --msgid-bugs-address=dev@daryn.local -o po/daryn.pot $files
for lang in kk ru en; do
  if [ -f po/$lang.po ]; then
    msgmerge -q --update --backup=none po/$lang.po po/daryn.pot
  else
    msginit --no-translator -l $lang.UTF-8 -i po/daryn.pot -o po/$lang.po
  fi
done
# English is the source language: its catalogue is the identity.
msgen po/daryn.pot -o po/en.po
python3 tools/i18n/fix-headers.py kk ru en
