#!/usr/bin/env bash
# Gradescope runs this once, as root, when the autograder image is built (Ubuntu 22.04 by default).
# Ubuntu's own nodejs there is 12: install a pinned Node 20 from nodejs.org (checksum verified), never
# Ubuntu's nodejs/npm packages beside it. Then nngrade and the course's release.
set -euo pipefail
NODE_VERSION=20.19.5
cd /autograder/source

apt-get update -qq
apt-get install -y -qq --no-install-recommends ca-certificates curl xz-utils bubblewrap >/dev/null
arch=$(uname -m); case "$arch" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; esac
tarball="node-v${NODE_VERSION}-linux-${arch}.tar.xz"
curl -fsSLO "https://nodejs.org/dist/v${NODE_VERSION}/${tarball}"
curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/SHASUMS256.txt" | grep " ${tarball}\$" | sha256sum -c -
tar -xJf "$tarball" -C /usr/local --strip-components=1
rm "$tarball"
node --version

# package.json (in this zip) depends on nngrade; the release and the private overlay are beside it.
npm ci --no-audit --no-fund || npm install --no-audit --no-fund
# Student code never runs as root: under root, nngrade's sandbox runs it as nobody, who must not
# read the private overlay.
chmod -R o= /autograder/source/private
