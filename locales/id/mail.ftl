# Email, dalam bahasa penerimanya (src/mail/messages.rs). Istilah: lihat locales/GLOSSARY.md.

## Semua email
mail-greeting = Halo,
mail-footer = Latchkey, untuk { $org }
mail-link-hint = Jika tombol tidak berfungsi, salin alamat ini ke browser Anda:
mail-not-you = Jika ini bukan Anda, segera atur ulang kata sandi Anda dan beri tahu administrator organisasi Anda.

## Asal perubahan keamanan
mail-origin-time = Waktu: { $time }
mail-origin-ip = Alamat klien: { $ip }
mail-origin-browser = Browser: { $browser }

## Verifikasi alamat email
mail-verify-email-subject = Verifikasi alamat email Anda
mail-verify-email-body = Konfirmasi bahwa alamat email ini milik Anda untuk menyelesaikan penyiapan akun Anda.
mail-verify-email-link = Verifikasi alamat email
mail-verify-email-after = Tautan ini hanya dapat digunakan sekali dan berlaku selama { $valid }. Jika Anda tidak memintanya, Anda dapat mengabaikan email ini.

## Atur ulang kata sandi
mail-reset-subject = Atur ulang kata sandi Anda
mail-reset-body = Seseorang meminta untuk mengatur ulang kata sandi akun Anda. Pilih kata sandi baru di sini:
mail-reset-link = Pilih kata sandi baru
mail-reset-after = Tautan ini hanya dapat digunakan sekali dan berlaku selama { $valid }. Menetapkan kata sandi baru akan mengakhiri semua sesi akun Anda.
mail-reset-ignore = Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak akan berubah.

## Undangan
mail-invitation-subject = Anda diundang ke { $org }
mail-invitation-body = Akun telah dibuat untuk Anda di { $org }. Pilih kata sandi Anda untuk mulai menggunakannya.
mail-invitation-link = Pilih kata sandi Anda
mail-invitation-after = Tautan ini hanya dapat digunakan sekali dan berlaku selama { $valid }.

## Kata sandi diubah
mail-password-changed-subject = Kata sandi Anda telah diubah
mail-password-changed-body = Kata sandi akun Anda telah diubah.

## Kode verifikasi ("Gunakan kode ini untuk masuk:")
mail-code-subject = Kode verifikasi Anda
mail-code-body = Gunakan kode ini untuk { $purpose }:
mail-code-after = Kode ini hanya dapat digunakan sekali dan berlaku selama { $valid }. Jangan berikan kode ini kepada siapa pun: kami tidak akan pernah memintanya.
mail-code-not-you = Jika Anda tidak memintanya, mungkin ada orang lain yang mengetahui kata sandi Anda: segera ganti kata sandi Anda.
mail-code-purpose-enable = mengaktifkan autentikasi dua faktor
mail-code-purpose-sign-in = masuk
mail-code-purpose-disable = mengonfirmasi perubahan pada autentikasi dua faktor Anda

## Autentikasi dua faktor diaktifkan
mail-two-factor-on-subject = Autentikasi dua faktor aktif
mail-two-factor-on-body = Autentikasi dua faktor telah diaktifkan untuk akun Anda.
mail-two-factor-on-after = Mulai sekarang, saat masuk Anda akan diminta kode yang dikirim ke alamat ini, atau Kunci Pemulihan Anda. Simpan Kunci Pemulihan yang Anda unduh di tempat yang aman.

## Autentikasi dua faktor dinonaktifkan
mail-two-factor-off-subject = Autentikasi dua faktor nonaktif
mail-two-factor-off-body = Autentikasi dua faktor telah dinonaktifkan untuk akun Anda, dan Kunci Pemulihannya dihapus.
mail-two-factor-off-after = Kini akun Anda hanya dilindungi oleh kata sandi.

## Kunci Pemulihan digunakan
mail-recovery-key-used-subject = Kunci Pemulihan Anda telah digunakan
mail-recovery-key-used-body = Seseorang masuk ke akun Anda dengan Kunci Pemulihan Anda.
mail-recovery-key-used-after = Kunci tersebut tidak berlaku lagi; Kunci Pemulihan baru telah ditampilkan untuk Anda unduh. Autentikasi dua faktor tetap aktif.

## Kunci Pemulihan diganti
mail-recovery-key-regenerated-subject = Kunci Pemulihan Anda telah diganti
mail-recovery-key-regenerated-body = Kunci Pemulihan baru telah dibuat untuk akun Anda.
mail-recovery-key-regenerated-after = Kunci Pemulihan sebelumnya tidak berlaku lagi.

## Aplikasi autentikator disiapkan
mail-authenticator-added-subject = Aplikasi autentikator telah disiapkan
mail-authenticator-added-body = Aplikasi autentikator telah disiapkan untuk akun Anda.
mail-authenticator-added-after = Mulai sekarang, saat masuk Anda akan diminta kode dari aplikasi ini. Jika Anda menyiapkannya di ponsel baru, aplikasi di ponsel lama tidak berfungsi lagi.

## Aplikasi autentikator dihapus
mail-authenticator-removed-subject = Aplikasi autentikator telah dihapus
mail-authenticator-removed-body = Aplikasi autentikator akun Anda telah dihapus.

## Kunci keamanan atau kunci sandi ditambahkan
mail-security-key-added-subject = Kunci keamanan atau kunci sandi telah ditambahkan
mail-security-key-added-body = Kunci keamanan atau kunci sandi telah ditambahkan ke akun Anda.
mail-security-key-added-after = Mulai sekarang, Anda dapat masuk dengan kunci keamanan atau kunci sandi ini sebagai pengganti kode.

## Kunci keamanan atau kunci sandi dihapus
mail-security-key-removed-subject = Kunci keamanan atau kunci sandi telah dihapus
mail-security-key-removed-body = Kunci keamanan atau kunci sandi telah dihapus dari akun Anda.

## Autentikasi dua faktor diatur ulang oleh administrator
mail-two-factor-reset-subject = Autentikasi dua faktor Anda telah diatur ulang
mail-two-factor-reset-body = Administrator organisasi Anda telah mengatur ulang autentikasi dua faktor untuk akun Anda.
mail-two-factor-reset-after = Faktor kedua dan Kunci Pemulihan Anda telah dihapus, dan semua sesi akun Anda telah diakhiri. Jika organisasi Anda mewajibkan autentikasi dua faktor, Anda perlu menyiapkannya lagi saat masuk berikutnya.
mail-two-factor-reset-not-you = Jika Anda tidak memintanya, beri tahu administrator organisasi Anda.

## Peringatan: perangkat baru, proses masuk yang tidak selesai, dan "Ini bukan saya" untuk administrator
mail-new-device-subject = Proses masuk baru ke akun { $org } Anda
mail-new-device-body = Akun Anda baru saja dimasuki dari browser yang belum pernah digunakan sebelumnya.
mail-new-device-after = Jika itu Anda, tidak ada yang perlu dilakukan.
mail-not-me-link = Ini bukan saya
mail-not-me-after = Jika itu bukan Anda, ikuti “Ini bukan saya”: tautan itu mengeluarkan akun Anda dari semua perangkat, melupakan perangkat yang diingat, dan meminta kata sandi baru sebelum masuk berikutnya. Tautan ini berlaku satu kali, selama { $valid }.
mail-unfinished-subject = Seseorang memasukkan kata sandi Anda tetapi tidak menyelesaikan autentikasi dua faktor
mail-unfinished-body = Seseorang memasukkan kata sandi yang benar untuk akun Anda, lalu tidak menyelesaikan autentikasi dua faktor.
mail-unfinished-after = Jika itu Anda (Anda batal, atau salah mengetik kode), tidak ada yang perlu dilakukan. Jika bukan, seseorang mengetahui kata sandi Anda: faktor kedua Anda menghentikannya, tetapi segera ganti kata sandi Anda.
mail-not-me-reported-subject = { $member } melaporkan proses masuk yang bukan dirinya
mail-not-me-reported-body = { $member } mengikuti “Ini bukan saya” dari peringatan keamanan tentang akunnya.
mail-not-me-reported-after = Latchkey telah mengeluarkan akunnya dari semua perangkat, melupakan perangkat yang diingat, dan akan meminta kata sandi baru saat masuk berikutnya. Periksa log audit untuk aktivitas terbaru akun tersebut.
