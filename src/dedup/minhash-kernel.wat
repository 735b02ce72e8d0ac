;; The MinHash inner loop, in WebAssembly SIMD: for each permutation k, the minimum over all
;; shingle hashes x of mix_k(x) = w, where v = (x xor seed_k) * 0x85ebca6b (mod 2^32) and
;; w = v xor (v >>> 13), compared as signed 32-bit integers. The same function as
;; MinHasher.signScalar in minhash.ts, sixteen permutations at a time (four vectors of four lanes),
;; so each shingle is loaded once per sixteen permutations and no comparison branches.
;;
;; minimums(shingles, count, seeds, blocks, out): `shingles` and `count` the i32 hashes, `seeds`
;; 16 * blocks i32 seeds, `out` 16 * blocks i32 minimums; addresses in bytes, 16-byte aligned.
;; Compiled by `npm run kernels` (scripts/build-kernels.ts) into minhash-kernel.ts.
(module
  (memory (export "memory") 1)
  (func (export "minimums") (param $shingles i32) (param $count i32) (param $seeds i32) (param $blocks i32) (param $out i32)
    (local $b i32) (local $i i32) (local $p i32) (local $end i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $x v128) (local $v v128) (local $mul v128)
    (local.set $mul (i32x4.splat (i32.const 0x85ebca6b)))
    (local.set $end (i32.add (local.get $shingles) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $b) (local.get $blocks)))
        (local.set $p (i32.add (local.get $seeds) (i32.shl (local.get $b) (i32.const 6))))
        (local.set $s0 (v128.load offset=0 (local.get $p)))
        (local.set $s1 (v128.load offset=16 (local.get $p)))
        (local.set $s2 (v128.load offset=32 (local.get $p)))
        (local.set $s3 (v128.load offset=48 (local.get $p)))
        (local.set $m0 (i32x4.splat (i32.const 0x7fffffff)))
        (local.set $m1 (local.get $m0))
        (local.set $m2 (local.get $m0))
        (local.set $m3 (local.get $m0))
        (local.set $i (local.get $shingles))
        (block $shingles_done
          (loop $shingle
            (br_if $shingles_done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $x (v128.load32_splat (local.get $i)))
            (local.set $v (i32x4.mul (v128.xor (local.get $x) (local.get $s0)) (local.get $mul)))
            (local.set $m0 (i32x4.min_s (local.get $m0) (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 13)))))
            (local.set $v (i32x4.mul (v128.xor (local.get $x) (local.get $s1)) (local.get $mul)))
            (local.set $m1 (i32x4.min_s (local.get $m1) (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 13)))))
            (local.set $v (i32x4.mul (v128.xor (local.get $x) (local.get $s2)) (local.get $mul)))
            (local.set $m2 (i32x4.min_s (local.get $m2) (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 13)))))
            (local.set $v (i32x4.mul (v128.xor (local.get $x) (local.get $s3)) (local.get $mul)))
            (local.set $m3 (i32x4.min_s (local.get $m3) (v128.xor (local.get $v) (i32x4.shr_u (local.get $v) (i32.const 13)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $shingle)))
        (local.set $p (i32.add (local.get $out) (i32.shl (local.get $b) (i32.const 6))))
        (v128.store offset=0 (local.get $p) (local.get $m0))
        (v128.store offset=16 (local.get $p) (local.get $m1))
        (v128.store offset=32 (local.get $p) (local.get $m2))
        (v128.store offset=48 (local.get $p) (local.get $m3))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $block)))))
