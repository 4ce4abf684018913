# shellcheck shell=bash
# Shared set-up for scripts/run-tests and scripts/run-app; source it, do not run it.
#
# Both scripts must work on a fresh Debian 12 machine with only Python 3.11+
# on it, and must be quick the second time: Debian packages are installed
# only when one is missing, and the virtualenv is reinstalled only when
# pyproject.toml changes (a stamp file named after its sha256 says it was done).
#
# Needs IJM_ROOT (the repository root, absolute) set by the caller.

: "${IJM_ROOT:?IJM_ROOT must be set before sourcing _setup.sh}"

IJM_VENV="$IJM_ROOT/.venv"
IJM_PYTHON="${PYTHON:-python3}"

ijm_say() {
    printf '==> %s\n' "$*"
}

ijm_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Whether Debian package $1 is installed.
ijm_have_package() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# Whether `python -m venv` would fail for want of ensurepip: Debian splits it
# into python3-venv, which a fresh image does not have.
ijm_venv_needs_debian_package() {
    [[ ! -x "$IJM_VENV/bin/python" ]] && ! "$IJM_PYTHON" -c 'import ensurepip' >/dev/null 2>&1
}

# Install whichever of the given Debian packages are missing (apt-get update once).
ijm_apt_install() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        ijm_say "not a Debian system: skipping system packages ($*); install their equivalents yourself"
        return 0
    fi
    local wanted=("$@") missing=() pkg
    if ijm_venv_needs_debian_package; then
        wanted+=(python3-venv)
    fi
    for pkg in "${wanted[@]}"; do
        ijm_have_package "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi

    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            ijm_die "missing Debian packages and no sudo to install them; as root run: apt-get install ${missing[*]}"
        fi
    fi
    ijm_say "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Make .venv if needed and `pip install -e "$1"` into it unless the stamp for
# this pyproject.toml says that was already done. $2 names the kind of install
# ("" for the test install, "app-" for the app) so the two keep separate stamps.
ijm_venv_install() {
    local spec="$1" kind="$2"
    if [[ ! -x "$IJM_VENV/bin/python" ]]; then
        command -v "$IJM_PYTHON" >/dev/null 2>&1 || ijm_die "$IJM_PYTHON not found: install Python 3.11 or newer"
        "$IJM_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
            ijm_die "$IJM_PYTHON is $("$IJM_PYTHON" -V 2>&1); ijmcase needs Python 3.11 or newer (set PYTHON=...)"
        ijm_say "creating $IJM_VENV"
        "$IJM_PYTHON" -m venv "$IJM_VENV"
    fi

    local sha stamp
    sha="$(sha256sum "$IJM_ROOT/pyproject.toml" | cut -d' ' -f1)"
    stamp="$IJM_VENV/.installed-$kind$sha"
    if [[ -e "$stamp" ]]; then
        return 0
    fi
    ijm_say "installing ijmcase ($spec) into $IJM_VENV"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$IJM_VENV/bin/python" -m pip install -q -e "$spec"

    # Old stamps of this kind describe a pyproject.toml that no longer exists.
    local old name
    for old in "$IJM_VENV"/.installed-*; do
        [[ -e "$old" ]] || continue
        name="${old##*/.installed-}"
        if [[ "$name" =~ ^${kind}[0-9a-f]{64}$ ]]; then
            rm -f "$old"
        fi
    done
    touch "$stamp"
}
