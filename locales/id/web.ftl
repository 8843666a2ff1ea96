# Kata-kata lapisan web: halaman galat, pemberitahuan setelah perubahan, teks yang diisi
# handler ke halaman (judul halaman konfirmasi, jendela Kunci Pemulihan, daftar anggota).
# Istilah: lihat locales/GLOSSARY.md.

## Halaman galat (src/web/error.rs, src/web/middleware.rs)
web-error-not-found-title = Halaman tidak ditemukan
web-error-not-found-text = Tidak ada halaman di alamat ini.
web-error-method-title = Halaman ini tidak dapat digunakan dengan cara ini
web-error-method-text = Kembali dan gunakan tombol di halaman tersebut, atau mulai lagi dari halaman beranda.
web-error-csrf-title = Formulir ini sudah kedaluwarsa
web-error-csrf-text = Demi keamanan Anda, formulir tidak dapat diterima. Kembali, muat ulang halaman, lalu coba lagi.
web-error-link-title = Tautan ini sudah tidak berlaku
web-error-link-text = Tautan ini mungkin sudah digunakan atau sudah kedaluwarsa. Minta tautan baru.
web-error-bad-request-title = Ada yang tidak sesuai
web-error-throttled-title = Terlalu banyak percobaan
web-error-throttled-text = Terlalu banyak percobaan. Coba lagi dalam { $wait }.
web-error-busy-title = Layanan sedang sibuk
web-error-busy-text = Coba lagi dalam beberapa detik.
web-error-unavailable-title = Latchkey tidak dapat menyimpan perubahan saat ini
web-error-unavailable-text = Latchkey tidak dapat menyimpan permintaan Anda: saat ini Latchkey tidak dapat menjangkau atau menulis ke basis datanya. Coba lagi dalam satu menit; jika masalah ini terus terjadi, beri tahu administrator Anda.
web-error-internal-title = Terjadi kesalahan
web-error-internal-text = Kami tidak dapat menyelesaikan permintaan Anda. Silakan coba lagi; jika masalah ini terus terjadi, sampaikan ID permintaan di bawah ini kepada administrator Anda.

## Formulir dan alamat yang tidak dapat dibaca (src/web/extract.rs)
web-error-form-unreadable = Formulir tidak dapat dibaca.
web-error-form-incomplete = Formulir tidak lengkap. Muat ulang halaman, lalu coba lagi.
web-error-address-wrong = Alamat ini tidak lengkap atau tidak benar. Kembali dan gunakan tautan di halaman tersebut.

## "Masuk": pemberitahuan dari alur lain, dan "Masuk dengan kunci sandi"
web-login-notice-signed-out = Anda telah keluar.
web-login-notice-signed-out-everywhere = Anda telah keluar di semua perangkat: dari setiap sesi, dan dari setiap aplikasi yang pernah Anda masuki.
web-login-notice-password-set = Kata sandi Anda sudah dibuat. Masuk dengan kata sandi tersebut.
web-login-notice-password-reset = Kata sandi Anda telah diubah dan semua sesi telah diakhiri. Masuk dengan kata sandi baru Anda.
web-login-notice-expired = Sesi Anda telah berakhir. Silakan masuk lagi.
web-login-notice-step-expired = Proses masuk Anda terlalu lama dan telah berakhir. Silakan masuk lagi.
web-login-passkey-no-answer = Browser Anda tidak memberikan jawaban berupa kunci sandi. Izinkan JavaScript di halaman ini, lalu coba lagi.

## Langkah kedua proses masuk: mengapa kode belum dapat dimasukkan
web-second-step-code-expired = Kode yang kami kirim sudah kedaluwarsa. Gunakan "Kirim ulang kode" untuk mendapatkan kode baru.
web-second-step-code-tried-out = Kode yang kami kirim sudah terlalu sering dimasukkan dengan salah. Gunakan "Kirim ulang kode" untuk mendapatkan kode baru.
web-second-step-code-capped = Tidak ada kode yang dikirim: akun ini sudah menerima kode sebanyak batas maksimum dalam satu jam.
web-second-step-code-not-sent = Belum ada kode yang dikirim untuk proses masuk ini. Gunakan "Kirim ulang kode".
web-second-step-choose-method = Pilih kunci keamanan, aplikasi autentikator, atau kode melalui email.

## Halaman di balik tautan atur ulang kata sandi atau undangan
web-reset-heading-reset = Pilih kata sandi baru
web-reset-heading-invite = Pilih kata sandi Anda

## Halaman di balik tautan verifikasi email
web-verify-email-done-title = Alamat email terverifikasi
web-verify-email-done-text = Terima kasih: alamat email Anda sudah terverifikasi.
web-verify-email-back-to-security = Kembali ke Keamanan dan Kredensial
web-verify-email-log-in = Masuk

## Kelola Akun: Profil serta Keamanan dan Kredensial
web-account-notice-name-saved = Nama Anda telah disimpan.
web-account-role-admin = Administrator
web-account-role-member = Anggota
web-account-notice-consent-withdrawn = { $app } harus meminta izin Anda lagi sebelum dapat membuat Anda masuk, dan aksesnya telah berakhir.
web-account-notice-verification-sent = Kami telah mengirimkan email verifikasi kepada Anda. Buka tautan di dalamnya untuk memverifikasi alamat Anda.
web-account-notice-password-changed = Kata sandi Anda telah diubah. Anda telah keluar dari sesi lain.
web-account-notice-signed-out-others = Anda telah keluar dari sesi lain.
web-account-notice-recovery-key-saved = Autentikasi dua faktor aktif, dan Kunci Pemulihan Anda telah disimpan.
web-account-notice-two-factor-off = Autentikasi dua faktor nonaktif. Kunci Pemulihan Anda telah dihapus.
web-account-notice-email-code-on = Kode melalui email aktif, sebagai cara lain untuk masuk.
web-account-notice-authenticator-removed = Aplikasi autentikator telah dihapus.
web-account-notice-security-key-added = Kunci keamanan atau kunci sandi Anda telah ditambahkan.
web-account-notice-security-key-renamed = Nama kunci telah diganti.
web-account-notice-security-key-removed = Kunci keamanan atau kunci sandi telah dihapus.
web-account-notice-device-forgotten = Perangkat telah dilupakan. Saat masuk berikutnya, perangkat itu akan diminta langkah kedua.
web-account-notice-devices-forgotten = Semua perangkat telah dilupakan. Saat masuk berikutnya, perangkat-perangkat itu akan diminta langkah kedua.
web-account-key-not-used-yet = Belum pernah

## Halaman yang meminta kata sandi dan faktor kedua sebelum perubahan
web-confirm-disable-heading = Nonaktifkan Autentikasi Dua Faktor
web-confirm-disable-explanation = Setelah itu akun Anda hanya dilindungi oleh kata sandi, dan Kunci Pemulihan Anda akan dihapus.
web-confirm-authenticator-remove-heading = Hapus aplikasi autentikator
web-confirm-authenticator-remove-explanation = Kode dari aplikasi tersebut tidak akan diterima lagi saat masuk. Jika ini faktor kedua terakhir Anda, autentikasi dua faktor akan dinonaktifkan dan Kunci Pemulihan Anda akan dihapus.
web-confirm-authenticator-setup-heading = Siapkan aplikasi autentikator
web-confirm-authenticator-setup-explanation = Aplikasi autentikator adalah cara baru untuk masuk ke akun Anda. Aplikasi yang disiapkan sebelumnya tetap berfungsi sampai aplikasi yang baru diverifikasi.
web-confirm-key-add-heading = Tambahkan kunci keamanan atau kunci sandi
web-confirm-key-add-explanation = Kunci keamanan atau kunci sandi adalah cara baru untuk masuk ke akun Anda.
web-confirm-key-remove-heading = Hapus kunci keamanan atau kunci sandi
web-confirm-key-remove-explanation = Kunci ini tidak akan diterima lagi saat masuk. Jika ini faktor kedua terakhir Anda, autentikasi dua faktor akan dinonaktifkan dan Kunci Pemulihan Anda akan dihapus.
web-confirm-proof-missing = Masukkan kode (dari aplikasi atau email Anda), atau Kunci Pemulihan Anda.

## Jendela Kunci Pemulihan: mengapa ada kunci baru, dan "Selesai" sebelum kunci disimpan
web-recovery-key-intro-signed-in-with-key = Anda masuk dengan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda.
web-recovery-key-intro-email-code-on = Kode melalui email aktif. Anda telah menggunakan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda.
web-recovery-key-intro-two-factor-on = Autentikasi dua faktor aktif.
web-recovery-key-intro-regenerated = Anda memiliki Kunci Pemulihan baru. Kunci sebelumnya tidak berlaku lagi.
web-recovery-key-intro-not-saved = Kunci Pemulihan Anda belum disimpan.
web-recovery-key-error-not-saved = Unduh Kunci Pemulihan Anda atau catat, lalu centang "Saya sudah menyimpan Kunci Pemulihan saya".
web-recovery-key-intro-authenticator-setup = Anda telah menggunakan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda. Simpan kunci ini, lalu pindai kode QR.
web-recovery-key-intro-authenticator-added = Aplikasi autentikator berhasil disiapkan. Autentikasi dua faktor aktif.
web-recovery-key-intro-authenticator-removed = Aplikasi autentikator Anda telah dihapus. Anda telah menggunakan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda.
web-recovery-key-intro-key-added = Kunci keamanan atau kunci sandi Anda telah ditambahkan. Autentikasi dua faktor aktif.
web-recovery-key-intro-key-removed = Kunci keamanan Anda telah dihapus. Anda telah menggunakan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda.
web-recovery-key-intro-member-reset = Autentikasi dua faktor { $email } telah diatur ulang. Anda mengonfirmasi dengan Kunci Pemulihan, sehingga kunci tersebut tidak berlaku lagi. Berikut Kunci Pemulihan baru Anda.

## "Siapkan autentikasi dua faktor", tempat kebijakan organisasi menahan anggota
web-enrol-notice-verification-sent = Kami telah mengirimkan email verifikasi kepada Anda. Buka tautan di dalamnya, lalu kembali ke sini.

## Organisasi -> Pengaturan
web-org-notice-saved = Kebijakan telah disimpan.
web-org-notice-remember-saved = Pengaturan “Ingat perangkat ini” telah disimpan.
web-org-error-grace-days = Masukkan masa tenggang dari 0 sampai 365 hari.
web-org-error-no-method = Izinkan setidaknya satu metode: kode email, aplikasi autentikator, atau kunci keamanan atau kunci sandi.
web-org-error-admin-keys-method = Untuk mewajibkan kunci keamanan atau kunci sandi bagi admin, izinkan "Kunci keamanan atau kunci sandi" sebagai metode.

## Organisasi -> Anggota
web-members-factor-email-code = kode email
web-members-factor-authenticator = aplikasi autentikator
web-members-factor-security-key = kunci keamanan
web-members-two-factor-none = Tidak ada
web-members-two-factor-on = Aktif: { $methods }
web-members-verified-yes = Ya
web-members-verified-no = Tidak
web-members-never = Belum pernah
web-members-status-active = Aktif
web-members-status-disabled = Nonaktif
web-members-notice-invited = Undangan sedang dikirim.
web-members-notice-reset = Autentikasi dua faktor telah diatur ulang. Anggota tersebut telah dikeluarkan dari semua sesinya dan diberi tahu melalui email.
web-members-notice-role = Peran telah diubah.
web-members-notice-status = Status anggota telah diubah.
web-members-notice-code-sent = Kami telah mengirimkan kode verifikasi ke email Anda.
web-members-notice-devices-forgotten = Perangkat anggota telah dilupakan.

## Organisasi -> Aplikasi
web-apps-error-list = Daftar aplikasi tidak dapat ditampilkan saat ini: { $error }
web-apps-notice-deleted = Aplikasi telah dihapus.
web-apps-error-alg = Pilih RS256 atau ES256.
web-apps-notice-registered = Aplikasi telah terdaftar. Salin kredensialnya sekarang: rahasia klien tidak akan ditampilkan lagi.
web-apps-notice-secret-replaced = Rahasia klien telah diganti; yang lama tidak berlaku lagi. Salin yang baru sekarang.

## Dalam perjalanan ke aplikasi (OpenID Connect) dan forward-auth
web-oidc-refused-title = Proses masuk ini tidak dapat dilanjutkan
web-forward-wrong-organization = Akun ini bukan anggota organisasi aplikasi ini.
web-forward-sign-in-first = Masuk terlebih dahulu.

## Banner masa tenggang di setiap halaman
web-banner-grace = { $org } mewajibkan autentikasi dua faktor mulai { $deadline }.

## "Ini bukan saya" (web/devices.rs)
web-not-me-link-invalid = Tautan ini tidak dapat digunakan: tautan sudah digunakan, kedaluwarsa, atau tidak lengkap.
web-not-me-done-sessions = { $count } sesi telah dikeluarkan, beserta akses aplikasinya.
web-not-me-done-devices = { $count } perangkat telah dilupakan.
web-not-me-done-password = Kata sandi Anda harus diganti sebelum masuk berikutnya.
web-not-me-done-admins = Administrator organisasi Anda telah diberi tahu.
