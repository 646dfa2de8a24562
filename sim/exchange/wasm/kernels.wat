;; levsim's account-column kernels, in WebAssembly with 128-bit SIMD (two accounts per lane pair).
;;
;; Why WebAssembly: V8 compiles these loops from JavaScript with a bounds check per typed-array
;; read and no vector instructions; the book pass cost ~12 ns an account there, and a tiered
;; maintenance check ~6 ns. Here the account columns live in the module's memory (Accounts
;; allocates them there), and each pass is a straight SIMD loop over them.
;;
;; Memory layout, set by Accounts (sim/exchange/accounts.ts): byte 0 holds the book pass's results
;; (7 f64), byte 1024 the tier lines for the scan (each line an f64x2 of mmr then an f64x2 of cum),
;; then the columns, 16-byte aligned and padded to an even length with flat accounts (size 0,
;; collateral 0, liquidation price NaN), so the loops take accounts two at a time with no tail.
;; Pointers are byte offsets; counts are accounts.
(module
  (import "env" "memory" (memory 1))

  ;; One pass over accounts [0, n) (n even) at mark m. Writes to byte 0:
  ;;   [0] Σ equity, equity = coll + size·(m − entry)
  ;;   [1] Σ (size + |size|)          (twice the long open interest, base units)
  ;;   [2] Σ |size| / equity           over open accounts with equity > 0
  ;;   [3] open accounts   [4] open accounts with equity > 0
  ;;   [5] accounts with |liqPrice − m| ≤ h5   [6] the same within h10 (NaN never counts)
  ;; Lanes are summed separately and added at the end: a fixed order, so results are reproducible.
  (func (export "book")
    (param $size i32) (param $entry i32) (param $coll i32) (param $lp i32) (param $n i32)
    (param $mark f64) (param $h5 f64) (param $h10 f64)
    (local $o i32) (local $end i32)
    (local $m v128) (local $H5 v128) (local $H10 v128) (local $zero v128)
    (local $q v128) (local $e v128) (local $aq v128) (local $open v128) (local $lev v128) (local $d v128)
    (local $eq v128) (local $oi v128) (local $ls v128) (local $pos v128) (local $ln v128) (local $n5 v128) (local $n10 v128)
    (local.set $m (f64x2.splat (local.get $mark)))
    (local.set $H5 (f64x2.splat (local.get $h5)))
    (local.set $H10 (f64x2.splat (local.get $h10)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $q (v128.load (i32.add (local.get $size) (local.get $o))))
        ;; e = coll + q·(m − entry)
        (local.set $e
          (f64x2.add
            (v128.load (i32.add (local.get $coll) (local.get $o)))
            (f64x2.mul (local.get $q) (f64x2.sub (local.get $m) (v128.load (i32.add (local.get $entry) (local.get $o)))))))
        (local.set $aq (f64x2.abs (local.get $q)))
        (local.set $eq (f64x2.add (local.get $eq) (local.get $e)))
        (local.set $oi (f64x2.add (local.get $oi) (f64x2.add (local.get $q) (local.get $aq))))
        ;; masks are all ones (−1 as i64) where true: subtracting one counts it
        (local.set $open (f64x2.ne (local.get $q) (local.get $zero)))
        (local.set $pos (i64x2.sub (local.get $pos) (local.get $open)))
        (local.set $lev (v128.and (local.get $open) (f64x2.gt (local.get $e) (local.get $zero))))
        (local.set $ln (i64x2.sub (local.get $ln) (local.get $lev)))
        ;; |q| / e where lev, else 0 (the quotient of a masked lane may be ±inf or NaN; it is dropped)
        (local.set $ls
          (f64x2.add (local.get $ls)
            (v128.bitselect (f64x2.div (local.get $aq) (local.get $e)) (local.get $zero) (local.get $lev))))
        (local.set $d (f64x2.abs (f64x2.sub (v128.load (i32.add (local.get $lp) (local.get $o))) (local.get $m))))
        (local.set $n5 (i64x2.sub (local.get $n5) (f64x2.le (local.get $d) (local.get $H5))))
        (local.set $n10 (i64x2.sub (local.get $n10) (f64x2.le (local.get $d) (local.get $H10))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (f64.store offset=0 (i32.const 0) (f64.add (f64x2.extract_lane 0 (local.get $eq)) (f64x2.extract_lane 1 (local.get $eq))))
    (f64.store offset=8 (i32.const 0) (f64.add (f64x2.extract_lane 0 (local.get $oi)) (f64x2.extract_lane 1 (local.get $oi))))
    (f64.store offset=16 (i32.const 0) (f64.add (f64x2.extract_lane 0 (local.get $ls)) (f64x2.extract_lane 1 (local.get $ls))))
    (f64.store offset=24 (i32.const 0) (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $pos)) (i64x2.extract_lane 1 (local.get $pos)))))
    (f64.store offset=32 (i32.const 0) (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $ln)) (i64x2.extract_lane 1 (local.get $ln)))))
    (f64.store offset=40 (i32.const 0) (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $n5)) (i64x2.extract_lane 1 (local.get $n5)))))
    (f64.store offset=48 (i32.const 0) (f64.convert_i64_s (i64.add (i64x2.extract_lane 0 (local.get $n10)) (i64x2.extract_lane 1 (local.get $n10))))))

  ;; The leverage terms of accounts [lo, hi) taken out of a book pass's sums, one account at a time
  ;; in id order, exactly as the JavaScript loop it replaces did (so results keep every bit): for
  ;; each open account with equity e = coll + size·(m − entry) > 0, $sum −= |size| / e. Returns the
  ;; new sum; writes the number of accounts taken out to byte 56 (an f64). A venue's book pass
  ;; leaves out its managed accounts' ranges this way (sim/exchange/book-stats.ts).
  (func (export "unbook")
    (param $size i32) (param $entry i32) (param $coll i32) (param $lo i32) (param $hi i32)
    (param $mark f64) (param $sum f64) (result f64)
    (local $o i32) (local $end i32) (local $k i32)
    (local $m v128) (local $zero v128) (local $q v128) (local $e v128) (local $ok v128) (local $t v128) (local $cnt v128)
    (local.set $o (i32.shl (local.get $lo) (i32.const 3)))
    (local.set $end (i32.shl (local.get $hi) (i32.const 3)))
    (local.set $m (f64x2.splat (local.get $mark)))
    ;; an odd first account alone, then two at a time (terms computed in pairs, subtracted one by
    ;; one in id order; a term left out is subtracted as +0, which changes no sum), then the last one
    (if (i32.and (i32.lt_u (local.get $o) (local.get $end)) (i32.and (local.get $o) (i32.const 8)))
      (then
        (local.set $sum (call $unbookOne (local.get $size) (local.get $entry) (local.get $coll) (local.get $o) (local.get $mark) (local.get $sum)))
        (local.set $k (i32.add (local.get $k) (i32.trunc_f64_s (f64.load offset=56 (i32.const 0)))))
        (local.set $o (i32.add (local.get $o) (i32.const 8)))))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $o) (i32.const 16)) (local.get $end)))
        (local.set $q (v128.load (i32.add (local.get $size) (local.get $o))))
        (local.set $e
          (f64x2.add
            (v128.load (i32.add (local.get $coll) (local.get $o)))
            (f64x2.mul (local.get $q) (f64x2.sub (local.get $m) (v128.load (i32.add (local.get $entry) (local.get $o)))))))
        (local.set $ok (v128.and (f64x2.ne (local.get $q) (local.get $zero)) (f64x2.gt (local.get $e) (local.get $zero))))
        (local.set $t (v128.bitselect (f64x2.div (f64x2.abs (local.get $q)) (local.get $e)) (local.get $zero) (local.get $ok)))
        (local.set $sum (f64.sub (local.get $sum) (f64x2.extract_lane 0 (local.get $t))))
        (local.set $sum (f64.sub (local.get $sum) (f64x2.extract_lane 1 (local.get $t))))
        (local.set $cnt (i64x2.sub (local.get $cnt) (local.get $ok)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (local.set $k (i32.add (local.get $k)
      (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $cnt)) (i64x2.extract_lane 1 (local.get $cnt))))))
    (if (i32.lt_u (local.get $o) (local.get $end))
      (then
        (local.set $sum (call $unbookOne (local.get $size) (local.get $entry) (local.get $coll) (local.get $o) (local.get $mark) (local.get $sum)))
        (local.set $k (i32.add (local.get $k) (i32.trunc_f64_s (f64.load offset=56 (i32.const 0)))))))
    (f64.store offset=56 (i32.const 0) (f64.convert_i32_s (local.get $k)))
    (local.get $sum))

  ;; One account of unbook at byte offset $o: returns the sum, and writes 1 or 0 (taken out) to byte 56.
  (func $unbookOne
    (param $size i32) (param $entry i32) (param $coll i32) (param $o i32) (param $mark f64) (param $sum f64) (result f64)
    (local $q f64) (local $e f64)
    (f64.store offset=56 (i32.const 0) (f64.const 0))
    (local.set $q (f64.load (i32.add (local.get $size) (local.get $o))))
    (if (f64.ne (local.get $q) (f64.const 0))
      (then
        (local.set $e
          (f64.add
            (f64.load (i32.add (local.get $coll) (local.get $o)))
            (f64.mul (local.get $q) (f64.sub (local.get $mark) (f64.load (i32.add (local.get $entry) (local.get $o)))))))
        (if (f64.gt (local.get $e) (f64.const 0))
          (then
            (f64.store offset=56 (i32.const 0) (f64.const 1))
            (local.set $sum (f64.sub (local.get $sum) (f64.div (f64.abs (local.get $q)) (local.get $e))))))))
    (local.get $sum))

  ;; Maintenance-margin check of accounts [0, n) (n even) at mark m: counts open positions whose
  ;; equity is below MM, and when $out ≠ 0 writes their ids there (i32s; room for n + 2).
  ;; MM = the largest of the tier lines notional·mmr_b − cum_b: with cum derived from the floors
  ;; MM is continuous and convex in notional, so that maximum is the bracket's own line (to an ulp),
  ;; with no bracket search. The first three lines are always taken (the caller pads a shorter
  ;; table by repeating its last line); the rest only for a pair with a notional ≥ $deep (the
  ;; fourth tier's floor), a branch that big positions make rare and predictable.
  (func (export "scan")
    (param $size i32) (param $entry i32) (param $coll i32) (param $n i32) (param $mark f64)
    (param $lines i32) (param $nl i32) (param $deep f64) (param $out i32) (result i32)
    (local $o i32) (local $end i32) (local $id i32) (local $k i32) (local $b i32) (local $lend i32) (local $bits i32)
    (local $m v128) (local $D v128) (local $zero v128) (local $q v128) (local $e v128) (local $x v128) (local $mm v128)
    (local.set $m (f64x2.splat (local.get $mark)))
    (local.set $D (f64x2.splat (local.get $deep)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $lend (i32.add (local.get $lines) (i32.shl (local.get $nl) (i32.const 5))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $q (v128.load (i32.add (local.get $size) (local.get $o))))
        (local.set $e
          (f64x2.add
            (v128.load (i32.add (local.get $coll) (local.get $o)))
            (f64x2.mul (local.get $q) (f64x2.sub (local.get $m) (v128.load (i32.add (local.get $entry) (local.get $o)))))))
        (local.set $x (f64x2.mul (f64x2.abs (local.get $q)) (local.get $m)))
        (local.set $mm
          (f64x2.pmax
            (f64x2.pmax
              (f64x2.sub (f64x2.mul (local.get $x) (v128.load (local.get $lines))) (v128.load offset=16 (local.get $lines)))
              (f64x2.sub (f64x2.mul (local.get $x) (v128.load offset=32 (local.get $lines))) (v128.load offset=48 (local.get $lines))))
            (f64x2.sub (f64x2.mul (local.get $x) (v128.load offset=64 (local.get $lines))) (v128.load offset=80 (local.get $lines)))))
        (if (v128.any_true (f64x2.ge (local.get $x) (local.get $D)))
          (then
            (local.set $b (i32.add (local.get $lines) (i32.const 96)))
            (block $lines_done
              (loop $line
                (br_if $lines_done (i32.ge_u (local.get $b) (local.get $lend)))
                (local.set $mm
                  (f64x2.pmax (local.get $mm)
                    (f64x2.sub (f64x2.mul (local.get $x) (v128.load (local.get $b))) (v128.load offset=16 (local.get $b)))))
                (local.set $b (i32.add (local.get $b) (i32.const 32)))
                (br $line)))))
        (local.set $bits
          (i64x2.bitmask (v128.and (f64x2.lt (local.get $e) (local.get $mm)) (f64x2.ne (local.get $q) (local.get $zero)))))
        (if (local.get $out)
          (then
            ;; store both candidates, advance past those that are below: no data-dependent branch
            (local.set $id (i32.shr_u (local.get $o) (i32.const 3)))
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))) (local.get $id))
            (local.set $k (i32.add (local.get $k) (i32.and (local.get $bits) (i32.const 1))))
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2))) (i32.add (local.get $id) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.shr_u (local.get $bits) (i32.const 1)))))
          (else (local.set $k (i32.add (local.get $k) (i32.popcnt (local.get $bits))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $next)))
    (local.get $k))
)
