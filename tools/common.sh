# tools/common.sh: what tools/run, tools/test and tools/bench-startup share (sourced, not run).
# shellcheck shell=bash disable=SC2034  # the package lists are used by the scripts that source this

# Debian 12 packages that building Passthrough needs (libxml2-utils to strip the bundled UI
# files, polkitd for the gettext rules that translate the polkit policy, desktop-file-utils
# for meson's post-install step).
PT_BUILD_PACKAGES=(
    meson ninja-build pkg-config gcc libc6-dev
    libglib2.0-dev libglib2.0-dev-bin
    libgtk-4-dev libadwaita-1-dev
    libvirt-dev libxml2-dev libpci-dev libjson-glib-dev libkmod-dev
    gettext libxml2-utils polkitd desktop-file-utils
)

# What the app reads or shows at run time that no library above pulls in by itself:
# PCI and USB names, and the SVG loader for the symbolic icons.
PT_RUNTIME_PACKAGES=(
    pci.ids usb.ids librsvg2-common
)

# A real host needs the VM side too: libvirt with QEMU, UEFI firmware for the guest, the TPM
# 2.0 emulator Windows 11 asks for, and pkexec for the helper that applies the host changes.
PT_HOST_PACKAGES=(
    libvirt-daemon-system qemu-system-x86 ovmf swtpm swtpm-tools pkexec
)

# A host without a display runs the demo under a virtual X server and takes a screenshot of it
# (gdb stops the app for it at the moment it quits).
PT_HEADLESS_PACKAGES=(
    xvfb xauth imagemagick gdb
)

pt_say () {
    printf '==> %s\n' "$*"
}

pt_die () {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Prints the packages of "$@" that dpkg does not list as installed.
pt_missing_packages () {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
        if [[ $status != installed ]]; then
            printf '%s\n' "$pkg"
        fi
    done
}

# Installs the packages of "$@" that are missing; does nothing (and needs no network) when
# all of them are there already, so that a second run starts at once.
pt_install_packages () {
    local -a missing
    mapfile -t missing < <(pt_missing_packages "$@")
    if (( ${#missing[@]} == 0 )); then
        pt_say "All $# needed packages are installed"
        return 0
    fi
    if (( EUID != 0 )); then
        pt_die "these packages are missing and installing them needs root: ${missing[*]}"
    fi
    command -v apt-get >/dev/null || pt_die "apt-get not found: this script expects Debian 12"
    pt_say "Installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# meson setup BUILDDIR ARGS..., or reconfigure when BUILDDIR already holds a configured build.
pt_meson_setup () {
    local builddir=$1
    shift
    if [[ -f $builddir/meson-private/coredata.dat ]]; then
        meson setup --reconfigure "$builddir" "$@"
    else
        rm -rf "$builddir"
        meson setup "$builddir" "$@"
    fi
}

# Where the app finds its GSettings schema when it runs from the build dir: data/meson.build
# compiles it there.
pt_schema_dir () {
    local builddir=$1
    [[ -f $builddir/data/gschemas.compiled ]] ||
        pt_die "$builddir/data/gschemas.compiled is missing: the build did not compile the schema"
    printf '%s\n' "$PWD/$builddir/data"
}

# True when the kernel put devices into IOMMU groups (IOMMU on).
pt_host_has_iommu () {
    local groups=(/sys/kernel/iommu_groups/*)
    [[ -e ${groups[0]} ]]
}

# True when a graphical session is reachable (X11 or Wayland).
pt_host_has_display () {
    [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]
}
