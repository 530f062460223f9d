#!/usr/bin/env bash
# Header completeness of libsel4, as TAP lines: tests/headers/api.c names
# every function, type and constant of seL4's C API for a configuration
# and is compiled as C (gnu11) and as C++17 for a debug and a release
# build; every public header also compiles on its own; the list in api.c
# covers every function the headers define; a C++ program links against
# the C runtime. All of it for the non-MCS and for the MCS configuration.
# Needs the debug builds of both (runtime objects: build/debug and
# build/debug-mcs).
set -u
cd "$(dirname "$0")/../.."
CROSS=${CROSS:-riscv64-unknown-elf-}
PICOLIBC=/usr/lib/picolibc/riscv64-unknown-elf
ARCH="-march=rv64imac -misa-spec=2.2 -mabi=lp64 -mcmodel=medany"
CFLAGS="$ARCH -Wall -Wextra -Werror -O2 --specs=$PICOLIBC/picolibc.specs -Ilibsel4/include -Ilibsel4/arch_include/riscv64 -Ilibs/runtime/include"
DEBUG_DEFS="-DHYPOS_DEBUG -DHYPOS_PRINTING"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=0 failed=0
result() { # status description [log]
  n=$((n + 1))
  if [[ $1 -eq 0 ]]; then echo "ok $n HEADERS $2"; else
    failed=$((failed + 1)); echo "not ok $n HEADERS $2"; [[ -n ${3:-} ]] && head -20 "$3" | sed 's/^/#   /'; fi
}
cxx_available=1
command -v "${CROSS}g++" >/dev/null || cxx_available=0
JOBS=${JOBS:-2}

# The compilers run as background jobs, JOBS at a time, each leaving
# $out/ID.log and $out/ID.rc; the results are reported afterwards in a
# fixed order.
run_bg() { # ID command...
  while (($(jobs -rp | wc -l) >= JOBS)); do wait -n; done
  ("${@:2}" >"$out/$1.log" 2>&1; echo $? >"$out/$1.rc") &
}
rc_of() { cat "$out/$1.rc" 2>/dev/null || echo 1; }
compile_api() { # defs std lang
  local cc="${CROSS}gcc"; [[ $3 == c++ ]] && cc="${CROSS}g++"
  "$cc" $CFLAGS $1 -std=$2 -x $3 -c tests/headers/api.c -o /dev/null
}
compile_header() { # defs lang header
  local cc="${CROSS}gcc" std=gnu11
  [[ $2 == c++ ]] && cc="${CROSS}g++" std=c++17
  echo "#include <$3>" | "$cc" $CFLAGS $1 -std=$std -x $2 -fsyntax-only - || { echo "$3 ($2) does not compile on its own"; return 1; }
}
link_cxx() { # defs runtime-dir object
  "${CROSS}g++" $CFLAGS $1 -std=c++17 -fno-exceptions -fno-rtti -c tests/headers/linkage.cpp -o "$3.o" &&
    "${CROSS}gcc" $ARCH --specs=$PICOLIBC/picolibc.specs -nostartfiles -T libs/runtime/riscv64/user.ld -static \
      -o "$3.elf" "$2/riscv64/crt0.S.o" "$2/runtime.c.o" "$2/thread.c.o" "$2/riscv64/libc_glue.c.o" "$3.o"
}

# Every check runs for both kernel configurations: non-MCS, and MCS
# (HYPOS_MCS, which make MCS=1 passes, makes the headers define
# CONFIG_KERNEL_MCS). Each has its own TAP lines.
headers=$( (cd libsel4/include && find . -name '*.h'; cd ../arch_include/riscv64 && find . -name '*.h') | sed 's|^\./||' | sort)
langs=c; [[ $cxx_available -eq 1 ]] && langs="c c++"
configs="non-MCS MCS"
kdefs_of() { [[ $1 == MCS ]] && echo "-DHYPOS_MCS"; }
suffix_of() { [[ $1 == MCS ]] && echo "-mcs"; }

for kcfg in $configs; do
  kdefs=$(kdefs_of $kcfg) sfx=$(suffix_of $kcfg)
  run_bg "api-debug$sfx" compile_api "$kdefs $DEBUG_DEFS" gnu11 c
  run_bg "api-release$sfx" compile_api "$kdefs" gnu11 c
  if [[ $cxx_available -eq 1 ]]; then
    run_bg "api-debug$sfx-cxx" compile_api "$kdefs $DEBUG_DEFS" c++17 c++
    run_bg "api-release$sfx-cxx" compile_api "$kdefs" c++17 c++
  fi
  # strict ISO C (no GNU keywords such as asm) as well
  run_bg "api-c11$sfx" compile_api "$kdefs $DEBUG_DEFS" c11 c
  # every header on its own: it includes what it needs
  i=0
  for h in $headers; do
    for lang in $langs; do i=$((i + 1)); run_bg "hdr$sfx-$i" compile_header "$kdefs $DEBUG_DEFS" $lang "$h"; done
  done
  run_bg "api-i$sfx" "${CROSS}gcc" $CFLAGS $kdefs $DEBUG_DEFS -std=gnu11 -E -P tests/headers/api.c -o "$out/api$sfx.i"
  # C linkage from C++: a C++ root task links against the C runtime
  rt="build/debug$sfx/libs/runtime"
  [[ $cxx_available -eq 1 && -f $rt/runtime.c.o ]] && run_bg "link$sfx" link_cxx "$kdefs $DEBUG_DEFS" "$rt" "$out/linkage$sfx"
done
wait

for kcfg in $configs; do
  sfx=$(suffix_of $kcfg)
  for cfg in debug release; do
    result "$(rc_of api-$cfg$sfx)" \
      "$kcfg: seL4's C API, every name with seL4's signature and value, compiles as C gnu11 ($cfg)" "$out/api-$cfg$sfx.log"
    if [[ $cxx_available -eq 1 ]]; then
      result "$(rc_of api-$cfg$sfx-cxx)" "$kcfg: seL4's C API compiles as C++17 ($cfg)" "$out/api-$cfg$sfx-cxx.log"
    else
      result 1 "$kcfg: seL4's C API compiles as C++17 ($cfg): ${CROSS}g++ not found"
    fi
  done
  result "$(rc_of api-c11$sfx)" "$kcfg: seL4's C API compiles as ISO C11 without GNU extensions (debug)" \
    "$out/api-c11$sfx.log"

  bad=0; : >"$out/log"
  for f in "$out"/hdr$sfx-*.rc; do
    [[ $(cat "$f") -eq 0 ]] || { bad=1; cat "${f%.rc}.log" >>"$out/log"; }
  done
  [[ $cxx_available -eq 1 ]] || { bad=1; echo "${CROSS}g++ not found" >>"$out/log"; }
  result $bad "$kcfg: each of the $(wc -w <<<"$headers") libsel4 headers compiles on its own, as C and as C++" "$out/log"

  # the functions the headers define (internal helpers excepted) against those api.c references
  grep -oE 'static inline [^;(]*\b(seL4_[A-Za-z0-9_]+)[[:space:]]*\(' "$out/api$sfx.i" 2>/dev/null |
    grep -oE 'seL4_[A-Za-z0-9_]+[[:space:]]*\($' | tr -d ' (' | grep -vE '^seL4_(hyp|riscv)_' | sort -u >"$out/defined"
  grep -oE '\bref_seL4_[A-Za-z0-9_]+' "$out/api$sfx.i" 2>/dev/null | sed 's/^ref_//' | sort -u >"$out/referenced"
  comm -23 "$out/defined" "$out/referenced" >"$out/missing"
  cp "$out/api-i$sfx.log" "$out/log"
  if [[ -s $out/missing ]]; then sed 's/^/defined but not checked: /' "$out/missing" >>"$out/log"; bad=1; else bad=0; fi
  [[ $(wc -l <"$out/defined") -gt 100 ]] || { echo "too few functions found: $(wc -l <"$out/defined")" >>"$out/log"; bad=1; }
  result $bad "$kcfg: api.c checks all $(wc -l <"$out/defined") functions the headers define" "$out/log"

  rt="build/debug$sfx/libs/runtime"
  if [[ -f $out/link$sfx.rc ]]; then
    result "$(rc_of link$sfx)" "$kcfg: a C++17 program links against libsel4 and the C runtime" "$out/link$sfx.log"
  else
    result 1 "$kcfg: a C++17 program links against the C runtime (no g++ or no debug build of the runtime in $rt)"
  fi
done
# x86_64: tests/headers/api_x86_64.c (seL4's x86_64-only names) as C and
# C++, each x86_64 architecture header on its own, and every seL4_X86_ /
# seL4_X64_ function and x86 IRQ method those headers define is checked
# there; both configurations, with the host's compilers.
X86_CFLAGS="-m64 -ffreestanding -nostdinc -isystem $(gcc -print-file-name=include) -Ilibs/runtime/x86_64/include
  -Ilibsel4/include -Ilibsel4/arch_include/x86_64 -Ilibs/runtime/include -Wall -Wextra -Werror -O2"
x86_headers=$(cd libsel4/arch_include/x86_64 && find . -name '*.h' | sed 's|^\./||' | sort)
for kcfg in $configs; do
  kdefs=$(kdefs_of $kcfg) sfx=$(suffix_of $kcfg)
  run_bg "x86-c$sfx" gcc $X86_CFLAGS $kdefs $DEBUG_DEFS -std=gnu11 -x c -c tests/headers/api_x86_64.c -o /dev/null
  run_bg "x86-cxx$sfx" g++ $X86_CFLAGS $kdefs -std=c++17 -x c++ -c tests/headers/api_x86_64.c -o /dev/null
  run_bg "x86-i$sfx" gcc $X86_CFLAGS $kdefs $DEBUG_DEFS -std=gnu11 -E -P tests/headers/api_x86_64.c -o "$out/x86$sfx.i"
  i=0
  for h in $x86_headers; do
    for lang in c c++; do
      i=$((i + 1)); cc=gcc std=gnu11; [[ $lang == c++ ]] && cc=g++ std=c++17
      run_bg "x86-hdr$sfx-$i" sh -c "echo '#include <$h>' | $cc $(echo $X86_CFLAGS) $kdefs $DEBUG_DEFS -std=$std -x $lang -fsyntax-only -"
    done
  done
done
wait
for kcfg in $configs; do
  sfx=$(suffix_of $kcfg)
  result "$(rc_of x86-c$sfx)" "x86_64 $kcfg: seL4's x86_64 API, every name with seL4's signature and value, compiles as C gnu11" \
    "$out/x86-c$sfx.log"
  result "$(rc_of x86-cxx$sfx)" "x86_64 $kcfg: seL4's x86_64 API compiles as C++17" "$out/x86-cxx$sfx.log"
  bad=0; : >"$out/log"
  for f in "$out"/x86-hdr$sfx-*.rc; do
    [[ $(cat "$f") -eq 0 ]] || { bad=1; cat "${f%.rc}.log" >>"$out/log"; }
  done
  result $bad "x86_64 $kcfg: each of the $(wc -w <<<"$x86_headers") x86_64 headers compiles on its own, as C and as C++" \
    "$out/log"
  grep -oE 'static inline [^;(]*\b(seL4_(X86|X64)_[A-Za-z0-9_]+|seL4_IRQControl_Get(IOAPIC|MSI))[[:space:]]*\(' \
    "$out/x86$sfx.i" 2>/dev/null | grep -oE 'seL4_[A-Za-z0-9_]+[[:space:]]*\($' | tr -d ' (' | sort -u >"$out/defined"
  grep -oE '\bref_seL4_[A-Za-z0-9_]+' "$out/x86$sfx.i" 2>/dev/null | sed 's/^ref_//' | sort -u >"$out/referenced"
  comm -23 "$out/defined" "$out/referenced" | sed 's/^/defined but not checked: /' >"$out/log"
  bad=0; [[ -s $out/log ]] && bad=1
  [[ $(wc -l <"$out/defined") -ge 20 ]] || { echo "too few functions found: $(wc -l <"$out/defined")" >>"$out/log"; bad=1; }
  result $bad "x86_64 $kcfg: api_x86_64.c checks all $(wc -l <"$out/defined") x86 methods the headers define" "$out/log"
done

echo "$((n - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
